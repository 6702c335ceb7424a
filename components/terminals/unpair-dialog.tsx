"use client";

import { Unlink } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { unpairAction } from "@/lib/pairing/actions";

/** What unpairing leaves behind: the registers that route to the terminal are unrouted. */
function unpairRegistersWarning(registerCount: number, terminalId: string): string | null {
  if (registerCount === 0) return null;
  return registerCount === 1
    ? `1 register sends its payments to ${terminalId}: it will be unrouted (shown as such) until routed to another terminal.`
    : `${registerCount} registers send their payments to ${terminalId}: they will be unrouted (shown as such) until routed to another terminal.`;
}

export function UnpairDialog({
  pairingId,
  name,
  terminalId,
  registerCount,
}: {
  pairingId: number;
  name: string;
  terminalId: string;
  /** How many registers route to the terminal (the page's count when it was read). */
  registerCount: number;
}) {
  const registersWarning = unpairRegistersWarning(registerCount, terminalId);
  return (
    <ActionDialog
      trigger={
        <Button variant="danger" size="sm">
          <Unlink aria-hidden />
          Unpair
        </Button>
      }
      title={`Unpair “${name}”?`}
      description={`Pay-Connect ends this pairing on terminal ${terminalId} and Pairdesk destroys its credentials. Pairing again needs a new OTP from the terminal.`}
    >
      {(close) => (
        <>
          {registersWarning ? (
            <Alert tone="warning" className="mb-4" data-testid="unpair-registers-warning">
              {registersWarning}
            </Alert>
          ) : null}
          <UnpairForm pairingId={pairingId} onDone={close} />
        </>
      )}
    </ActionDialog>
  );
}

function UnpairForm({ pairingId, onDone }: { pairingId: number; onDone: () => void }) {
  // On success this pairing's controls unmount with it; the hook still shows the toast.
  const { formProps, pending, failed } = useActionForm(unpairAction, { successMessage: "Unpaired.", onSuccess: onDone });
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="pairingId" value={pairingId} />
      {failed ? (
        <Alert tone="danger" role="alert" title="Unpair failed" data-testid="unpair-error">
          {failed.error}
        </Alert>
      ) : null}
      <DialogActions>
        <Button type="submit" variant="destructive" disabled={pending}>
          {pending ? "Unpairing…" : "Unpair terminal"}
        </Button>
      </DialogActions>
    </form>
  );
}
