"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { transactionOperationAction } from "@/lib/transactions/actions";

export type PanelOperation = {
  kind: "cancel" | "refund" | "revert" | "preauth_complete" | "preauth_increment";
  label: string;
  /** What it does, said before it is sent. */
  explain: string;
  /** For refund and completion: the amount field. */
  amount?: { label: string; hint: string; defaultValue: string };
  danger?: boolean;
  /** The send button's words, when "Send <label>" reads badly. */
  submit?: string;
};

/** One operation's button and its confirmation (with an amount for refund and completion). */
export function OperationDialog({ transactionId, op, requestKey }: { transactionId: number; op: PanelOperation; requestKey: string }) {
  return (
    <ActionDialog
      trigger={
        <Button variant={op.danger ? "danger" : "secondary"} size="sm" data-testid={`operation-${op.kind}`}>
          {op.label}
        </Button>
      }
      title={`${op.label}?`}
      description={op.explain}
    >
      {(close) => <OperationForm transactionId={transactionId} op={op} requestKey={requestKey} onDone={close} />}
    </ActionDialog>
  );
}

function OperationForm({ transactionId, op, requestKey, onDone }: { transactionId: number; op: PanelOperation; requestKey: string; onDone: () => void }) {
  const { formProps, pending, failed, fieldErrors, formError } = useActionForm(transactionOperationAction, { onSuccess: onDone });
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="requestKey" value={failed?.retryKey ?? requestKey} />
      <input type="hidden" name="transactionId" value={transactionId} />
      <input type="hidden" name="kind" value={op.kind} />
      {op.amount ? (
        <Field id={`op-${op.kind}-amount`} label={op.amount.label} hint={op.amount.hint} errors={fieldErrors.amount}>
          <Input name="amount" inputMode="decimal" autoComplete="off" defaultValue={failed?.values?.amount ?? op.amount.defaultValue} />
        </Field>
      ) : null}
      {formError ? (
        <Alert tone="danger" role="alert" title="Not sent" data-testid="operation-error">
          {formError}
        </Alert>
      ) : null}
      {/* "Close", not "Cancel": beside a payment's Cancel operation, "Cancel" read both ways. */}
      <DialogActions cancelLabel="Close">
        <Button type="submit" variant={op.danger ? "destructive" : "primary"} disabled={pending}>
          {pending ? "Sending…" : (op.submit ?? `Send ${op.label.toLowerCase()}`)}
        </Button>
      </DialogActions>
    </form>
  );
}
