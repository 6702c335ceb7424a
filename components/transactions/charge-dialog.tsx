"use client";

import { CreditCard } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { chargeAction } from "@/lib/transactions/actions";
import { OPERATION_LABELS } from "@/lib/labels";
import { currencyDigits, formatAmount, parseAmount } from "@/lib/transactions/money";

export type ChargeKind = "charge" | "preauth" | "independent_refund";

/**
 * Sends a charge (or a preauthorisation, or an independent refund) to a terminal: the amount in
 * the terminal's currency, an optional payment method, then a confirmation that restates it all.
 * Each opening gets the server's request key for this form: sending it twice is refused, and the
 * charge carries a client_transaction_id made from it, so a retried submit cannot charge twice.
 */
export function ChargeDialog({
  terminalRef,
  terminalId,
  environment,
  registerRef,
  registerName,
  currency,
  paymentMethods,
  kinds,
  requestKey,
}: {
  terminalRef: number;
  terminalId: string;
  environment: string;
  registerRef?: number;
  registerName?: string;
  /** The terminal's configured currency; null when its configuration is unknown. */
  currency: string | null;
  paymentMethods: string[];
  kinds: ChargeKind[];
  requestKey: string;
}) {
  return (
    <ActionDialog
      trigger={
        <Button size="sm" data-testid="charge-button">
          <CreditCard aria-hidden />
          Charge
        </Button>
      }
      title={registerName ? `Charge from ${registerName}` : `Charge on ${terminalId}`}
      description={`The terminal ${terminalId} (${environment}) shows the amount; the person at the terminal completes the payment.`}
    >
      {(close) => (
        <ChargeForm {...{ terminalRef, terminalId, environment, registerRef, currency, paymentMethods, kinds, requestKey }} onDone={close} />
      )}
    </ActionDialog>
  );
}

function ChargeForm({
  terminalRef,
  terminalId,
  environment,
  registerRef,
  currency,
  paymentMethods,
  kinds,
  requestKey: initialKey,
  onDone,
}: {
  terminalRef: number;
  terminalId: string;
  environment: string;
  registerRef?: number;
  currency: string | null;
  paymentMethods: string[];
  kinds: ChargeKind[];
  requestKey: string;
  onDone: () => void;
}) {
  const router = useRouter();
  const [kind, setKind] = useState<ChargeKind>(kinds[0] ?? "charge");
  const [amount, setAmount] = useState("");
  const [method, setMethod] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const { formProps, pending, failed, fieldErrors } = useActionForm(chargeAction, {
    onSuccess: (data) => {
      onDone();
      if (data.transactionId) router.push(`/transactions/${data.transactionId}`);
    },
    refresh: false,
  });
  const requestKey = failed?.retryKey ?? initialKey;
  const parsed = parseAmount(amount, currency);
  const digits = currencyDigits(currency);
  const amountErrors = localError ? [localError] : fieldErrors.amount;

  return (
    <form {...formProps} className="space-y-4" aria-label={OPERATION_LABELS[kind]}>
      <input type="hidden" name="requestKey" value={requestKey} />
      <input type="hidden" name="terminalId" value={terminalRef} />
      {registerRef ? <input type="hidden" name="registerId" value={registerRef} /> : null}
      <input type="hidden" name="kind" value={kind} />
      {confirming ? (
        <>
          <input type="hidden" name="amount" value={amount} />
          <input type="hidden" name="paymentMethod" value={method} />
          <div className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="charge-confirm">
            <p className="text-base font-semibold">
              {OPERATION_LABELS[kind]} of {parsed.ok ? formatAmount(parsed.minor, currency) : amount}
            </p>
            <p>
              on terminal <span className="font-mono">{terminalId}</span> ({environment})
              {method ? `, paid by ${method}` : ", payment method chosen on the terminal"}.
            </p>
          </div>
          {failed ? (
            <Alert tone="danger" role="alert" title="Not sent" data-testid="charge-error">
              {fieldErrors.amount?.join(" ") ?? failed.error}
            </Alert>
          ) : null}
          <DialogActions>
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>
              Back
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Sending…" : `Send ${OPERATION_LABELS[kind].toLowerCase()}`}
            </Button>
          </DialogActions>
        </>
      ) : (
        <>
          {kinds.length > 1 ? (
            <Field id="charge-kind" label="What to send">
              <Select value={kind} onChange={(e) => setKind(e.target.value as ChargeKind)}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {OPERATION_LABELS[k]}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          <Field
            id="charge-amount"
            label={`Amount${currency ? ` (${currency})` : ""}`}
            hint={
              currency
                ? digits === 0
                  ? `${currency} has no decimals.`
                  : `In ${currency}, up to ${digits} decimals, e.g. ${(1250 / 10 ** digits).toFixed(digits)}.`
                : "The terminal's currency is not known yet (Refresh its configuration on the terminal page): the amount is sent in minor units of its currency, 2 decimals assumed."
            }
            errors={amountErrors}
          >
            <Input
              name="amountInput"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onChange={(e) => {
                setAmount(e.target.value);
                setLocalError(null);
              }}
            />
          </Field>
          {kind === "charge" ? (
            <Field id="charge-method" label="Payment method" hint="Leave it to the terminal to let the customer choose.">
              <Select value={method} onChange={(e) => setMethod(e.target.value)}>
                <option value="">Chosen on the terminal</option>
                {paymentMethods.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          {failed && !fieldErrors.amount ? (
            <Alert tone="danger" role="alert" title="Not sent" data-testid="charge-error">
              {failed.error}
            </Alert>
          ) : null}
          <DialogActions>
            <Button
              type="button"
              onClick={() => {
                if (!parsed.ok) {
                  setLocalError(parsed.error);
                  return;
                }
                setConfirming(true);
              }}
            >
              Review
            </Button>
          </DialogActions>
        </>
      )}
    </form>
  );
}
