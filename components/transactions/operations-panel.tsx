/**
 * The operations a user may run on a transaction now (cancel, refund, revert, preauth
 * completion), shown on the transaction's page, and the operations already sent with their
 * outcome. A server component: it reads the session, the role and the transaction's state
 * itself; the actions check all of it again.
 */
import { randomUUID } from "node:crypto";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { TransactionStatus } from "@/lib/domain";
import { OPERATION_LABELS, TRANSACTION_STATUS_LABELS } from "@/lib/labels";
import type { OperationKind } from "@/lib/domain";
import { TransactionStatusBadge } from "./transaction-status-badge";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { pageAccess } from "@/lib/auth/access";
import { queryTransactionOperations, type queryTransaction } from "@/lib/transactions/queries";
import { formatDateTime } from "@/lib/format";
import { currencyDigits, formatAmount } from "@/lib/transactions/money";
import { can } from "@/lib/auth/permissions";
import { refundableAmount, refusalOf, type TargetOperation } from "@/lib/transactions/allowed";
import { transactionFacts } from "@/lib/transactions/facts";
import { OffersGate } from "./live-status";
import { OperationDialog, type PanelOperation } from "./operation-dialog";

const OUTCOME_TONE = { pending: "info", sent: "info", succeeded: "success", failed: "danger", outcome_unknown: "warning" } as const;
const OUTCOME_WORDS = { pending: "sending", sent: "sent", succeeded: "done", failed: "failed", outcome_unknown: "outcome unknown" } as const;

/**
 * `transaction` is the page's own read of it (queryTransaction, already scoped): passed in rather
 * than read again. The session and role are checked here all the same.
 */
export async function TransactionOperationsPanel({ transaction }: { transaction: NonNullable<Awaited<ReturnType<typeof queryTransaction>>> }) {
  const { user, ctx } = await pageAccess("transactions:read");
  const row = transaction.row;
  const operations = await queryTransactionOperations(ctx, row.id);
  const mayOperate = can(user.role, "transactions:operate");
  const facts = await transactionFacts(ctx.db, row);
  const decimals = currencyDigits(row.currency);
  const major = (minor: number) => (minor / 10 ** decimals).toFixed(decimals);
  const left = refundableAmount(facts);
  const candidates: PanelOperation[] = [
    {
      kind: "cancel",
      label: "Cancel payment",
      submit: "Send the cancel to the terminal",
      explain: "The terminal is told to stop this payment. Its status changes once the terminal has cancelled it.",
      danger: true,
    },
    {
      kind: "refund",
      label: "Refund",
      explain: `Returns money to the customer, in full or in part: at most ${formatAmount(left, row.currency)} is left to refund.`,
      amount: { label: `Amount${row.currency ? ` (${row.currency})` : ""}`, hint: `At most ${formatAmount(left, row.currency)}.`, defaultValue: major(left) },
    },
    {
      kind: "revert",
      label: "Revert",
      explain:
        "Undoes this successful payment before settlement, in full (only the terminal's most recent successful transaction can be reverted). Pay-Connect confirms it shortly.",
      danger: true,
    },
    {
      kind: "preauth_complete",
      label: "Complete",
      explain: "Captures the preauthorisation. The amount is the total to capture (the original plus any increments), not a difference.",
      amount: { label: `Total${row.currency ? ` (${row.currency})` : ""}`, hint: "The whole amount to capture.", defaultValue: major(row.amount) },
    },
    {
      kind: "preauth_increment",
      label: "Increase",
      explain: `Raises the amount held on the card by what you enter (added to ${formatAmount(row.amount, row.currency)}). Pay-Connect confirms it shortly.`,
      amount: { label: `Increase by${row.currency ? ` (${row.currency})` : ""}`, hint: "The amount to add, not the new total.", defaultValue: "" },
    },
  ];
  const allowed = mayOperate ? candidates.filter((c) => refusalOf(c.kind as TargetOperation, facts) === null) : [];
  // What a person would look for on this transaction and does not find: said, with why.
  const open = row.status === "INITIATED" || row.status === "IN_PROGRESS";
  const payment = row.kind === "charge" || (row.kind === "preauth" && facts.endingDone === "preauth_complete");
  const expected: Record<TargetOperation, boolean> = {
    cancel: open,
    refund: row.status === "SUCCESS" && payment,
    // A successful refund is the terminal's latest success at times: say why it is not reverted.
    revert: row.status === "SUCCESS" && (payment || row.kind === "refund" || row.kind === "independent_refund"),
    preauth_complete: row.status === "SUCCESS" && row.kind === "preauth",
    preauth_increment: row.status === "SUCCESS" && row.kind === "preauth",
  };
  const withheld = mayOperate
    ? candidates
        .filter((c) => expected[c.kind as TargetOperation])
        .map((c) => ({ label: c.label, why: refusalOf(c.kind as TargetOperation, facts) }))
        .filter((c): c is { label: string; why: string } => c.why !== null)
    : [];

  return (
    <Card data-testid="operations-panel">
      <CardHeader>
        <CardTitle>Operations</CardTitle>
      </CardHeader>
      <CardBody className="space-y-4 text-sm">
        {allowed.length > 0 ? (
          <OffersGate renderedStatus={row.status}>
            <div className="flex flex-wrap gap-2">
              {allowed.map((op) => (
                <OperationDialog key={op.kind} transactionId={row.id} op={op} requestKey={randomUUID()} />
              ))}
            </div>
          </OffersGate>
        ) : (
          <p className="text-slate-600" data-testid="no-operations">
            {mayOperate ? "No operation applies to it now." : "Only admins can run operations on transactions."}
          </p>
        )}
        {withheld.length > 0 ? (
          <ul className="space-y-1 text-xs text-slate-600" data-testid="operations-withheld">
            {withheld.map((w) => (
              <li key={w.label}>
                <span className="font-medium text-slate-700">{w.label}</span> is not offered. {w.why}
              </li>
            ))}
          </ul>
        ) : null}
        {operations.length > 0 ? (
          <ul className="space-y-2" data-testid="operations-done">
            {operations.map((o) => (
              <li key={o.id} data-testid="operation-record" data-kind={o.kind} data-status={o.status}>
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">
                    {o.resultTransactionRef !== null && o.resultTransactionRef !== row.id ? (
                      <Link href={`/transactions/${o.resultTransactionRef}`} className="text-brand-700 hover:underline">
                        {OPERATION_LABELS[o.kind as OperationKind] ?? o.kind}
                      </Link>
                    ) : (
                      (OPERATION_LABELS[o.kind as OperationKind] ?? o.kind)
                    )}
                    {o.amount !== null ? ` ${formatAmount(o.amount, row.currency)}` : ""}
                  </span>
                  {/* An operation that created a transaction (a refund) says what its transaction says, in the same words. */}
                  {o.status === "succeeded" && o.resultStatus && o.resultTransactionRef !== row.id ? (
                    <TransactionStatusBadge status={o.resultStatus} testId="operation-result-status" />
                  ) : o.status === "succeeded" && o.resultTransactionRef === row.id ? (
                    // The request that made this transaction: sent; its status above says how it went.
                    <Badge tone="neutral">sent</Badge>
                  ) : (
                    <Badge tone={OUTCOME_TONE[o.status]}>{OUTCOME_WORDS[o.status]}</Badge>
                  )}
                </span>
                <span className="block text-xs text-slate-600">
                  {formatDateTime(o.createdAt)} by {o.createdByEmail}
                  {o.providerStatus ? ` · Pay-Connect says: ${TRANSACTION_STATUS_LABELS[o.providerStatus as TransactionStatus] ?? o.providerStatus}` : ""}
                </span>
                {o.reason ? <span className="block text-xs text-red-700">{o.reason}</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </CardBody>
    </Card>
  );
}
