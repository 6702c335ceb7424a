"use client";

import { Archive, Pencil } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { archiveRegisterAction, updateRegisterAction } from "@/lib/registers/actions";

/** Rename a register, or change its external reference. */
export function EditRegisterDialog({ register }: { register: { id: number; name: string; externalRef: string | null } }) {
  return (
    <ActionDialog
      trigger={
        <Button variant="secondary" size="sm">
          <Pencil aria-hidden />
          Edit
        </Button>
      }
      title={`Edit ${register.name}`}
      description="Its register ID, location and kind stay as they are."
    >
      {(close) => <EditForm register={register} onDone={close} />}
    </ActionDialog>
  );
}

function EditForm({ register, onDone }: { register: { id: number; name: string; externalRef: string | null }; onDone: () => void }) {
  const { formProps, pending, fieldErrors, formError } = useActionForm(updateRegisterAction, { onSuccess: onDone });
  return (
    <form {...formProps} className="space-y-4" noValidate>
      <input type="hidden" name="registerId" value={register.id} />
      {formError ? (
        <Alert tone="danger" role="alert" title="Not saved" data-testid="edit-register-error">
          {formError}
        </Alert>
      ) : null}
      <Field id="register-name" label="Name" hint="Unique within its location." errors={fieldErrors.name}>
        <Input name="name" defaultValue={register.name} maxLength={100} required autoComplete="off" />
      </Field>
      <Field
        id="register-external-ref"
        label="External reference"
        hint="Optional: the POS's own name or number for it, unique within the merchant."
        errors={fieldErrors.externalRef}
      >
        <Input name="externalRef" defaultValue={register.externalRef ?? ""} maxLength={100} autoComplete="off" />
      </Field>
      <DialogActions>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
      </DialogActions>
    </form>
  );
}

/**
 * Archive a register (for good). A physical register with virtual registers cannot be archived:
 * the dialog says why (the database's rule) and offers nothing else. Archiving a routed register
 * says where its payments stop going.
 */
export function ArchiveRegisterDialog({
  register,
  refusal,
  routedTo,
}: {
  register: { id: number; name: string };
  /** The rule that refuses it now (it has virtual registers), or null. */
  refusal: string | null;
  /** The terminal id it routes to, or null. */
  routedTo: string | null;
}) {
  return (
    <ActionDialog
      trigger={
        <Button variant="danger" size="sm">
          <Archive aria-hidden />
          Archive
        </Button>
      }
      title={refusal ? `${register.name} cannot be archived yet` : `Archive ${register.name}?`}
      description={
        refusal
          ? undefined
          : routedTo
            ? `It will stop sending payments to ${routedTo}, and its register ID will no longer be accepted. Archiving cannot be undone.`
            : "Its register ID will no longer be accepted. Archiving cannot be undone."
      }
    >
      {(close) =>
        refusal ? (
          <div className="space-y-4">
            <Alert tone="warning" data-testid="archive-refusal">
              {refusal}
            </Alert>
            <DialogActions cancelLabel="Close">{null}</DialogActions>
          </div>
        ) : (
          <ArchiveForm registerId={register.id} onDone={close} />
        )
      }
    </ActionDialog>
  );
}

function ArchiveForm({ registerId, onDone }: { registerId: number; onDone: () => void }) {
  const { formProps, pending, failed } = useActionForm(archiveRegisterAction, { onSuccess: onDone });
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="registerId" value={registerId} />
      {failed ? (
        <Alert tone="danger" role="alert" title="Not archived" data-testid="archive-error">
          {failed.error}
        </Alert>
      ) : null}
      <DialogActions>
        <Button type="submit" variant="destructive" disabled={pending}>
          {pending ? "Archiving…" : "Archive register"}
        </Button>
      </DialogActions>
    </form>
  );
}
