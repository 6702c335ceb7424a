import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { CURSOR_PARAMS, terminalLabel, TransactionFilters } from "@/components/transactions/transaction-filters";
import { TransactionTable } from "@/components/transactions/transaction-table";
import { Alert } from "@/components/ui/alert";
import { ListToolbar } from "@/components/ui/filter-chips";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/auth/access";
import { queryTransactionFilterOptions, queryTransactions, type TransactionCount } from "@/lib/transactions/queries";
import { cursorText, parseCursor } from "@/lib/lists/cursor";
import type { TransactionStatus } from "@/lib/domain";
import { formatDateTime } from "@/lib/format";
import { transactionList } from "@/lib/lists/lists";
import { environmentLabel, TRANSACTION_STATUS_LABELS } from "@/lib/labels";

export const metadata = { title: "Transactions" };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const number = new Intl.NumberFormat("en-US");

/** "1–25 of 1,204", "26–50 of more than 10,000", "11 found in the latest 5,000 transactions…". */
function countText(count: TransactionCount, shown: number, newestFirst: boolean): string {
  if (count.kind === "window") {
    const found = `${number.format(count.matches)} ${count.matches === 1 ? "transaction" : "transactions"}`;
    if (count.through === null) return count.matches <= shown ? found : `1–${number.format(shown)} of ${number.format(count.matches)}`;
    return `${found} among the ${number.format(count.scanned)} ${newestFirst ? "newest" : "oldest"} (to ${formatDateTime(count.through)}); Next searches further`;
  }
  const of = count.kind === "exact" ? number.format(count.total) : "more than 10,000";
  if (shown === 0) return count.kind === "exact" && count.total === 0 ? "No transactions" : `None here, of ${of}`;
  return count.start === null ? `${shown} shown, of ${of}` : `${number.format(count.start)}–${number.format(count.start + shown - 1)} of ${of}`;
}

export default async function TransactionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const params = transactionList.load(raw);
  const { ctx } = await pageAccess("transactions:read", params);
  const after = parseCursor(one(raw.after));
  const before = after ? null : parseCursor(one(raw.before));
  const list = queryTransactions(ctx, params, { after, before });
  const options = queryTransactionFilterOptions(ctx);
  const base = transactionList.href(params, { page: 1 });
  const withCursor = (name: (typeof CURSOR_PARAMS)[number], c: { at: number; id: number }) =>
    `${base}${base.includes("?") ? "&" : "?"}${name}=${cursorText(c)}`;
  const first = list.rows[0];
  const chosenTerminal = options.terminals?.find((t) => t.id === params.terminal);
  const terminalChip = chosenTerminal
    ? terminalLabel(chosenTerminal)
    : first && params.terminal
      ? terminalLabel(first)
      : `#${params.terminal}`;
  const chosenRegister = options.registers?.find((r) => r.id === params.register);
  const registerChip = chosenRegister ? chosenRegister.name : first && params.register ? (first.registerName ?? `#${params.register}`) : `#${params.register}`;
  // A "from" after the "to": no transaction can match; say so rather than show an empty list.
  const backwardsDates = params.from && params.to && params.from > params.to;

  return (
    <>
      <PageHeader
        title="Transactions"
        description="Every payment, refund and preauthorisation on your terminals, with its status as Pay-Connect reports it (by webhook, by polling, or in answer to an operation)."
      />
      <TransactionFilters params={params} options={options} />
      {backwardsDates ? (
        <Alert tone="warning" role="alert" className="mb-3" data-testid="date-order-warning">
          &ldquo;Created from&rdquo; ({params.from}) is after &ldquo;Created to&rdquo; ({params.to}): no transaction can match.{" "}
          <Link href={transactionList.href(params, { from: params.to, to: params.from, page: 1 })} className="font-medium underline underline-offset-2">
            Swap the dates
          </Link>
        </Alert>
      ) : null}
      <ListToolbar
        chips={transactionList.chips(params, {
          status: (v) => (v === "open" ? "Open" : (TRANSACTION_STATUS_LABELS[v as TransactionStatus] ?? v)),
          environment: environmentLabel,
          terminal: () => terminalChip,
          register: () => registerChip,
          kind: (v) => (v === "charge" ? "Charges" : v === "preauth" ? "Preauthorisations" : "Refunds"),
        })}
        clearHref={transactionList.clearHref(params)}
        exportHref={`/api/transactions/export${transactionList.search(params, { page: 1 })}`}
      />
      <TransactionTable
        rows={list.rows}
        now={list.readAt}
        showMerchant={ctx.scope.kind === "all"}
        sort={{ ...transactionList.sortOf(params), hrefFor: (column) => transactionList.sortHref(params, column) }}
        empty={
          transactionList.isFiltered(params) ? (
            <NoMatches noun="transactions" clearHref={transactionList.clearHref(params)} />
          ) : after || before ? (
            "No more transactions this way."
          ) : (
            "No transactions yet. A charge sent from a terminal's page, or a payment taken on a paired terminal, shows here."
          )
        }
      />
      <nav aria-label="Pages of transactions" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm" data-testid="keyset-pagination">
        {list.prev ? (
          <Link href={withCursor("before", list.prev)} className="inline-flex items-center gap-1 text-brand-700 hover:underline" rel="prev">
            <ChevronLeft aria-hidden className="size-4" /> Previous
          </Link>
        ) : (
          <span />
        )}
        <p className="text-slate-700" data-testid="transaction-count" aria-live="polite">
          {list.count
            ? countText(list.count, list.rows.length, transactionList.sortOf(params).direction === "desc")
            : list.lookedThrough
              ? `${list.rows.length} found, searched to ${formatDateTime(list.lookedThrough)}; ${before ? "Previous" : "Next"} searches further`
              : null}
        </p>
        {list.next ? (
          <Link href={withCursor("after", list.next)} className="inline-flex items-center gap-1 text-brand-700 hover:underline" rel="next">
            Next <ChevronRight aria-hidden className="size-4" />
          </Link>
        ) : null}
      </nav>
    </>
  );
}
