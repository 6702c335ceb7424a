"use client";

import { Pencil } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { renamePairingAction } from "@/lib/pairing/actions";

const PAY_CONNECT_KEEPS = "Pay-Connect keeps the name the pairing was made with; Pairdesk shows this one.";

/**
 * The name form: inline in the "Check this pairing" warning (Pair again answered for another
 * terminal, which took the name typed for the terminal meant), or in the Rename dialog.
 */
export function RenamePairingForm({
  pairingId,
  name,
  terminalId,
  idPrefix,
  onDone,
}: {
  pairingId: number;
  name: string;
  terminalId: string;
  idPrefix: string;
  /** In the dialog: Cancel beside Save; and the dialog closes on success. */
  onDone?: () => void;
}) {
  const { formProps, pending, fieldErrors, formError } = useActionForm(renamePairingAction, { onSuccess: () => onDone?.() });
  const id = `${idPrefix}-name-${pairingId}`;
  const submit = (
    <Button type="submit" size={onDone ? "md" : "sm"} disabled={pending}>
      {pending ? "Saving…" : "Save name"}
    </Button>
  );
  return (
    <form {...formProps} className="space-y-3" data-testid={`${idPrefix}-form`}>
      <input type="hidden" name="pairingId" value={pairingId} />
      <input type="hidden" name="expectedName" value={name} />
      {formError ? (
        <Alert tone="danger" role="alert" title="Not renamed">
          {formError}
        </Alert>
      ) : null}
      <Field id={id} label={`Name for terminal ${terminalId}`} hint={PAY_CONNECT_KEEPS} errors={fieldErrors.name}>
        <Input name="name" defaultValue={name} maxLength={100} autoComplete="off" required />
      </Field>
      {onDone ? <DialogActions>{submit}</DialogActions> : submit}
    </form>
  );
}

export function RenamePairingDialog({ pairingId, name, terminalId }: { pairingId: number; name: string; terminalId: string }) {
  // Each opening starts from the current name, with no refusal from an earlier try.
  return (
    <ActionDialog
      trigger={
        <Button variant="secondary" size="sm">
          <Pencil aria-hidden />
          Rename
        </Button>
      }
      title={`Rename “${name}”`}
      description={`The pairing of terminal ${terminalId}.`}
    >
      {(close) => <RenamePairingForm pairingId={pairingId} name={name} terminalId={terminalId} idPrefix="rename" onDone={close} />}
    </ActionDialog>
  );
}
