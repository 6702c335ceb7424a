import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TransactionOperationsPanel } from "@/components/transactions/operations-panel";
import { LiveStatusProvider } from "@/components/transactions/live-status";
import { TransactionLive } from "@/components/transactions/transaction-timeline";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Description, DescriptionList } from "@/components/ui/description-list";
import { PageHeader } from "@/components/ui/page-header";
import { EnvironmentBadge } from "@/components/ui/status-badges";
import { pageAccess } from "@/lib/auth/access";
import { queryTransaction, queryTransactionStatus } from "@/lib/transactions/queries";
import { formatDateTime } from "@/lib/format";
import { TRANSACTION_KIND_LABELS, TRANSACTION_STATUS_LABELS } from "@/lib/labels";
import { formatAmount } from "@/lib/transactions/money";
import { can } from "@/lib/auth/permissions";
import { refundableAmount } from "@/lib/transactions/allowed";
import { transactionFacts } from "@/lib/transactions/facts";
import type { PrintSlip } from "@/lib/providers/types";

export const metadata = { title: "Transaction" };

function parseJson<T>(text: string | null): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

export default async function TransactionPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, ctx } = await pageAccess("transactions:read");
  const { id } = await params;
  const ref = Number(id);
  if (!Number.isSafeInteger(ref) || ref <= 0) notFound();
  const t = await queryTransaction(ctx, ref);
  const status = await queryTransactionStatus(ctx, ref);
  if (!t || !status) notFound();
  const row = t.row;
  const money = (minor: number | null) => (minor === null ? "—" : formatAmount(minor, row.currency));
  // What the Refund dialog allows: refunds still open count against it.
  const facts = (row.kind === "charge" || row.kind === "preauth") && row.status === "SUCCESS" ? await transactionFacts(ctx.db, row) : null;
  // A preauthorisation is refundable once completed.
  const remaining = facts && (row.kind === "charge" || facts.endingDone === "preauth_complete") ? refundableAmount(facts) : null;
  const details = parseJson<Record<string, string | number>>(row.details) ?? {};
  const slip = parseJson<PrintSlip>(row.slip);
  const staff = can(user.role, "merchants:read");

  return (
    <>
      <Link href="/transactions" className="mb-4 inline-flex items-center gap-1 text-sm text-brand-700 hover:underline">
        <ArrowLeft aria-hidden className="size-4" /> Transactions
      </Link>
      <PageHeader
        title={`${TRANSACTION_KIND_LABELS[row.kind]} of ${money(row.amount)}`}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs break-all" data-testid="provider-transaction-id">
              {row.providerTransactionId}
            </span>
            <CopyButton value={row.providerTransactionId} label="transaction id" />
            <EnvironmentBadge environment={row.environment} />
            {staff ? <span>{t.merchantName}</span> : null}
          </span>
        }
      />
      {row.staleAt ? (
        <Alert tone="warning" className="mb-6" title="No final status" data-testid="stale-notice">
          {row.pollError ?? "Pairdesk stopped polling it."}
        </Alert>
      ) : row.pollError ? (
        <Alert tone="warning" className="mb-6" title="The last poll failed" data-testid="poll-error">
          {row.pollError}
        </Alert>
      ) : null}
      {row.conflictNote ? (
        <Alert tone="danger" className="mb-6" title="A later observation contradicted it" data-testid="conflict-notice">
          {row.conflictNote} ({row.conflictAt ? formatDateTime(row.conflictAt) : "time not kept"}; the timeline shows it as ignored.)
        </Alert>
      ) : null}
      <LiveStatusProvider initial={status.status}>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="min-w-0 space-y-6">
          <Card>
            <CardBody>
              <TransactionLive transactionId={row.id} initial={status} linkDeliveries={can(user.role, "webhooks:read")} />
            </CardBody>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Amounts</CardTitle>
            </CardHeader>
            <CardBody>
              <DescriptionList columns={3} className="gap-x-3 text-base">
                <Description label="Amount" testId="amount">{money(row.amount)}</Description>
                <Description label="Tip">{money(row.tipAmount)}</Description>
                <Description label="Total">{money(row.totalAmount ?? row.amount)}</Description>
                <Description label="Refunded" testId="refunded">{money(row.refundTotalAmount)}</Description>
                {remaining !== null ? (
                  <Description label="Left to refund" testId="remaining">
                    {money(remaining)}
                    {facts && facts.refundsOpen > 0 ? <span className="block text-xs text-slate-600">{money(facts.refundsOpen)} being refunded</span> : null}
                  </Description>
                ) : null}
                <Description label="Currency">{row.currency ?? "not reported"}</Description>
              </DescriptionList>
            </CardBody>
          </Card>
          {slip ? (
            <Card data-testid="print-slip">
              <CardHeader>
                <CardTitle>Print slip</CardTitle>
              </CardHeader>
              <CardBody>
                <DescriptionList className="gap-x-3 text-base">
                  <Description label="Merchant">{slip.merchantName ?? "—"}</Description>
                  <Description label="Address">{slip.address ?? "—"}</Description>
                  <Description label="Point of sale">{slip.pointOfSale ?? "—"}</Description>
                  <Description label="Card">{[slip.cardType, slip.cardLast4 ? `•••• ${slip.cardLast4}` : null].filter(Boolean).join(" ") || "—"}</Description>
                  <Description label="Approval code" testId="approve-code">{slip.approveCode ?? "—"}</Description>
                  <Description label="AID">{slip.aid ?? "—"}</Description>
                  <Description label="Terminal (card) id">{slip.cardTid ?? "—"}</Description>
                  <Description label="Completed">{slip.completedAt ? formatDateTime(new Date(slip.completedAt)) : "—"}</Description>
                  <Description label="Total">{slip.totalAmount !== null ? formatAmount(slip.totalAmount, slip.currency ?? row.currency) : "—"}</Description>
                  <Description label="Payment">{[slip.paymentMethod, slip.paymentOption].filter(Boolean).join(" · ") || "—"}</Description>
                </DescriptionList>
              </CardBody>
            </Card>
          ) : null}
        </div>
        <div className="min-w-0 space-y-6">
          <TransactionOperationsPanel transaction={t} />
          <Card>
            <CardHeader>
              <CardTitle>References</CardTitle>
            </CardHeader>
            <CardBody>
              <DescriptionList columns={1} className="text-base">
                <Description label="Terminal" testId="transaction-terminal">
                  {t.terminalElsewhere ? (
                    <>
                      <span className="font-mono">{t.terminalId}</span> <span className="text-slate-600">(paired elsewhere now)</span>
                    </>
                  ) : (
                    <>
                      <Link href={`/terminals/${row.terminalRef}`} className="font-mono text-brand-700 hover:underline">
                        {t.terminalId}
                      </Link>{" "}
                      <span className="text-slate-600">({t.pairingName ?? "paired elsewhere now"})</span>
                    </>
                  )}
                </Description>
                <Description label="Register">
                  {row.registerRef ? (
                    <Link href={`/registers/${row.registerRef}`} className="text-brand-700 hover:underline">
                      {t.registerName}
                    </Link>
                  ) : (
                    row.createdById !== null ? "None (sent from the terminal's page)" : "Not known (started on the terminal or from a POS)"
                  )}
                </Description>
                <Description label="Client transaction id">
                  <span className="font-mono text-xs break-all">{row.clientTransactionId ?? "—"}</span>
                </Description>
                {row.linkedTransactionRef ? (
                  <Description label="Refund of">
                    <Link href={`/transactions/${row.linkedTransactionRef}`} className="font-mono text-xs break-all text-brand-700 hover:underline">
                      {t.originalProviderId}
                    </Link>
                  </Description>
                ) : null}
                {t.refunds.length > 0 ? (
                  <Description label="Refunds" testId="refunds">
                    <ul className="space-y-1">
                      {t.refunds.map((r) => (
                        <li key={r.id}>
                          <Link href={`/transactions/${r.id}`} className="text-brand-700 hover:underline">
                            {money(r.amount)}
                          </Link>{" "}
                          <span className="text-slate-600">{TRANSACTION_STATUS_LABELS[r.status]}</span>
                        </li>
                      ))}
                    </ul>
                  </Description>
                ) : null}
                <Description label="Payment method">{[row.paymentMethod, row.paymentOption].filter(Boolean).join(" · ") || "—"}</Description>
                {details.card_last4 ? <Description label="Card">•••• {details.card_last4}</Description> : null}
                <Description label="Created">
                  {formatDateTime(row.createdAt)}
                  {t.createdByEmail ? ` by ${t.createdByEmail}` : " (first seen from Pay-Connect)"}
                </Description>
                <Description label="Next poll">
                  {row.nextPollAt ? formatDateTime(row.nextPollAt) : "none"}
                  {row.lastPolledAt ? ` · last ${formatDateTime(row.lastPolledAt)}` : ""}
                </Description>
                {!t.pairingHasWebhookSecret ? <Description label="Webhooks">Its pairing has no webhook secret: its status comes from polling.</Description> : null}
              </DescriptionList>
            </CardBody>
          </Card>
        </div>
      </div>
      </LiveStatusProvider>
    </>
  );
}
