import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { SortableTH, type SortState } from "@/components/ui/sortable-header";
import { EnvironmentBadge } from "@/components/ui/status-badges";
import { TH } from "@/components/ui/table";
import type { TransactionListRow } from "@/lib/transactions/list-queries";
import { formatAmount } from "@/lib/transactions/money";
import { TRANSACTION_KIND_LABELS, TRANSACTION_STATUS_LABELS } from "@/lib/labels";
import { SOURCE_WORDS, TransactionStatusBadge } from "./transaction-status-badge";

type Column = "created" | "updated";

const isRefund = (kind: TransactionListRow["kind"]) => kind === "refund" || kind === "independent_refund";

/** A phone's label for a value that a wide screen puts under its column's header. */
function Label({ children }: { children: React.ReactNode }) {
  return <span className="sr-only">{children}: </span>;
}

/**
 * The transactions list. On a wide screen a table whose columns share the card's width (long
 * values cut with the whole on hover, secondary facts under the primary one), so it never
 * scrolls sideways at 1280 px; on a phone each transaction is a stacked block: amount and
 * status, then terminal and time, then its id. A refund reads as a refund of its charge (its
 * amount negative, its charge linked), and a charge lists its refunds under it.
 */
export function TransactionTable({
  rows,
  empty,
  now,
  sort,
  showMerchant,
}: {
  rows: TransactionListRow[];
  empty: React.ReactNode;
  now: number;
  sort: SortState & { hrefFor: (column: Column) => string };
  showMerchant: boolean;
}) {
  return (
    <div role="region" aria-label="Transactions" tabIndex={0} className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white" data-testid="transaction-card">
      <table className="block w-full text-left text-sm md:table md:table-fixed" data-testid="transaction-table">
        <caption className="sr-only">Transactions</caption>
        <thead className="block border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-700 md:table-header-group">
          <tr className="flex flex-wrap justify-end gap-x-2 md:table-row">
            <TH className="hidden md:table-cell md:w-[25%]">Transaction</TH>
            <TH className="hidden text-right md:table-cell md:w-[12%]">Amount</TH>
            <TH className="hidden md:table-cell md:w-[13%]">Status</TH>
            <TH className="hidden md:table-cell md:w-[22%]">Terminal</TH>
            <SortableTH label="Created" column="created" sort={sort} href={sort.hrefFor("created")} className="md:w-[13%]" />
            <SortableTH label="Last update" column="updated" sort={sort} href={sort.hrefFor("updated")} className="md:w-[15%]" />
          </tr>
        </thead>
        <tbody className="block divide-y divide-slate-100 md:table-row-group">
          {rows.length === 0 ? (
            <tr className="block md:table-row">
              <td colSpan={6} className="block px-4 py-10 text-slate-600 md:table-cell">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((r) => <Row key={r.id} r={r} now={now} showMerchant={showMerchant} />)
          )}
        </tbody>
      </table>
    </div>
  );
}

function Row({ r, now, showMerchant }: { r: TransactionListRow; now: number; showMerchant: boolean }) {
  const refund = isRefund(r.kind);
  const terminalName = r.pairingName ?? r.terminalId;
  return (
    <tr
      data-testid="transaction-row"
      data-transaction-id={r.providerTransactionId}
      data-kind={r.kind}
      className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-3 gap-y-1 px-4 py-3 hover:bg-slate-50 md:table-row md:p-0 [&>td]:min-w-0 md:[&>td]:px-3 md:[&>td]:py-2.5 md:[&>td]:align-top"
    >
      <td className="order-5 col-span-2 md:order-none" data-testid="transaction-id-cell">
        <Label>Transaction</Label>
        <Link
          href={`/transactions/${r.id}`}
          className="block truncate font-mono text-xs font-medium text-brand-700 hover:underline"
          title={r.providerTransactionId}
        >
          {r.providerTransactionId}
        </Link>
        <span className="flex min-w-0 flex-wrap items-center gap-x-1 text-xs text-slate-600">
          {refund && r.linkedTransactionRef && r.chargeProviderId ? (
            <span className="min-w-0 truncate" data-testid="refund-of">
              Refund of{" "}
              <Link href={`/transactions/${r.linkedTransactionRef}`} className="font-mono text-brand-700 hover:underline" title={r.chargeProviderId}>
                {r.chargeProviderId}
              </Link>
            </span>
          ) : (
            <span>{TRANSACTION_KIND_LABELS[r.kind]}</span>
          )}
          <span aria-hidden>·</span>
          <EnvironmentBadge environment={r.environment} />
        </span>
        {r.refunds.length > 0 ? (
          <ul aria-label="Its refunds" className="mt-1 space-y-0.5 text-xs">
            {r.refunds.map((f) => (
              <li key={f.id} className="flex min-w-0 items-baseline gap-1" data-testid="charge-refund" data-refund-id={f.providerTransactionId}>
                <span aria-hidden className="text-slate-400">
                  ↳
                </span>
                <Link href={`/transactions/${f.id}`} className="min-w-0 truncate text-brand-700 hover:underline" title={f.providerTransactionId}>
                  Refund −{formatAmount(f.amount, r.currency)}
                </Link>
                <span className="shrink-0 text-slate-600">{TRANSACTION_STATUS_LABELS[f.status]}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </td>
      <td className="order-1 md:order-none md:text-right" data-testid="transaction-amount">
        <Label>Amount</Label>
        <span className={refund ? "font-semibold tabular-nums text-slate-700" : "font-semibold tabular-nums text-slate-900"}>
          {refund ? "−" : ""}
          {formatAmount(r.amount, r.currency)}
        </span>
        {r.refundTotalAmount > 0 ? <span className="block text-xs text-slate-600">refunded {formatAmount(r.refundTotalAmount, r.currency)}</span> : null}
      </td>
      <td className="order-2 justify-self-end md:order-none">
        <Label>Status</Label>
        <TransactionStatusBadge status={r.status} />
        {r.staleAt ? <span className="block text-xs text-amber-800">no final status</span> : null}
      </td>
      <td className="order-3 md:order-none" data-testid="transaction-terminal">
        <Label>Terminal</Label>
        <Link href={`/terminals/${r.terminalRef}`} className="block truncate font-medium text-brand-700 hover:underline" title={r.pairingName ? `${r.pairingName} (${r.terminalId})` : r.terminalId}>
          {terminalName}
        </Link>
        <span className="block truncate text-xs text-slate-600">
          {r.pairingName ? <span className="font-mono">{r.terminalId}</span> : null}
          {r.pairingName && r.registerRef ? " · " : null}
          {r.registerRef ? (
            <Link href={`/registers/${r.registerRef}`} className="text-brand-700 hover:underline" title={r.registerName ?? undefined}>
              {r.registerName}
            </Link>
          ) : null}
        </span>
        {showMerchant ? (
          <span className="block truncate text-xs text-slate-600" title={r.merchantName} data-testid="merchant-cell">
            {r.merchantName}
          </span>
        ) : null}
      </td>
      <td className="order-4 whitespace-nowrap text-right text-sm md:order-none md:text-left">
        <Label>Created</Label>
        <RelativeTime value={r.createdAt} now={now} />
      </td>
      <td className="hidden whitespace-nowrap text-sm md:table-cell">
        <Label>Last update</Label>
        <RelativeTime value={r.statusChangedAt} now={now} />
        <span className="block text-xs text-slate-600">by {SOURCE_WORDS[r.statusSource]}</span>
      </td>
    </tr>
  );
}
