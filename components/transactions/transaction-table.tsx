import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { SortableTH, type SortState } from "@/components/ui/sortable-header";
import { EnvironmentBadge } from "@/components/ui/status-badges";
import { EmptyRow, Table, TBody, TH, THead } from "@/components/ui/table";
import type { TransactionListRow } from "@/lib/data/transactions";
import { formatAmount } from "@/lib/money";
import { KIND_WORDS, SOURCE_WORDS, TransactionStatusBadge } from "./transaction-status-badge";

type Column = "created" | "updated";

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
    <Table label="Transactions" data-testid="transaction-table">
      <caption className="sr-only">Transactions</caption>
      <THead>
        <tr>
          <TH>Transaction</TH>
          <TH>Status</TH>
          <TH className="text-right">Amount</TH>
          <TH>Terminal</TH>
          <TH>Register</TH>
          {showMerchant ? <TH>Merchant</TH> : null}
          <SortableTH label="Created" column="created" sort={sort} href={sort.hrefFor("created")} />
          <SortableTH label="Last update" column="updated" sort={sort} href={sort.hrefFor("updated")} />
        </tr>
      </THead>
      <TBody styled>
        {rows.length === 0 ? (
          <EmptyRow colSpan={showMerchant ? 8 : 7}>{empty}</EmptyRow>
        ) : (
          rows.map((r) => (
            <tr key={r.id} data-testid="transaction-row" data-transaction-id={r.providerTransactionId}>
              <td className="max-w-[14rem]">
                <Link href={`/transactions/${r.id}`} className="block truncate font-mono text-xs font-medium text-brand-700 hover:underline" title={r.providerTransactionId}>
                  {r.providerTransactionId}
                </Link>
                <span className="text-xs text-slate-600">
                  {KIND_WORDS[r.kind]} · <EnvironmentBadge environment={r.environment} />
                </span>
              </td>
              <td>
                <TransactionStatusBadge status={r.status} />
                {r.staleAt ? <span className="block text-xs text-amber-800">no final status</span> : null}
              </td>
              <td className="text-right tabular-nums">
                {formatAmount(r.amount, r.currency)}
                {r.refundTotalAmount > 0 ? <span className="block text-xs text-slate-600">refunded {formatAmount(r.refundTotalAmount, r.currency)}</span> : null}
              </td>
              <td>
                <Link href={`/terminals/${r.terminalRef}`} className="font-mono text-xs text-brand-700 hover:underline">
                  {r.terminalId}
                </Link>
              </td>
              <td>
                {r.registerRef ? (
                  <Link href={`/registers/${r.registerRef}`} className="text-brand-700 hover:underline">
                    {r.registerName}
                  </Link>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </td>
              {showMerchant ? <td>{r.merchantName}</td> : null}
              <td className="whitespace-nowrap text-sm">
                <RelativeTime value={r.createdAt} now={now} />
              </td>
              <td className="whitespace-nowrap text-sm">
                <RelativeTime value={r.statusChangedAt} now={now} />
                <span className="block text-xs text-slate-600">by {SOURCE_WORDS[r.statusSource]}</span>
              </td>
            </tr>
          ))
        )}
      </TBody>
    </Table>
  );
}
