import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { CURSOR_PARAMS, TransactionFilters } from "@/components/transactions/transaction-filters";
import { STATUS_WORDS } from "@/components/transactions/transaction-status-badge";
import { TransactionTable } from "@/components/transactions/transaction-table";
import { ListToolbar } from "@/components/ui/filter-chips";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/data/access";
import { queryTransactions } from "@/lib/data/transactions";
import { cursorText, parseCursor } from "@/lib/lists/cursor";
import type { TransactionStatus } from "@/lib/domain";
import { transactionList } from "@/lib/lists/lists";

export const metadata = { title: "Transactions" };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function TransactionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const params = transactionList.load(raw);
  const { ctx } = await pageAccess("transactions:read", params);
  const after = parseCursor(one(raw.after));
  const before = after ? null : parseCursor(one(raw.before));
  const list = queryTransactions(ctx, params, { after, before });
  const base = transactionList.href(params, { page: 1 });
  const withCursor = (name: (typeof CURSOR_PARAMS)[number], c: { at: number; id: number }) =>
    `${base}${base.includes("?") ? "&" : "?"}${name}=${cursorText(c)}`;
  const first = list.rows[0];
  const terminalLabel = first && params.terminal ? first.terminalId : params.terminal ? `#${params.terminal}` : "";
  const registerLabel = first && params.register ? (first.registerName ?? `#${params.register}`) : params.register ? `#${params.register}` : "";

  return (
    <>
      <PageHeader
        title="Transactions"
        description="Every payment, refund and preauthorisation on your terminals, with its status as Pay-Connect reports it (by webhook, by polling, or in answer to an operation)."
      />
      <TransactionFilters params={params} />
      <ListToolbar
        chips={transactionList.chips(params, {
          status: (v) => (v === "open" ? "Open" : (STATUS_WORDS[v as TransactionStatus] ?? v)),
          environment: (v) => (v === "production" ? "Production" : "Sandbox"),
          terminal: () => terminalLabel,
          register: () => registerLabel,
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
      <nav aria-label="Pages of transactions" className="mt-4 flex items-center justify-between gap-3 text-sm" data-testid="keyset-pagination">
        {list.prev ? (
          <Link href={withCursor("before", list.prev)} className="inline-flex items-center gap-1 text-brand-700 hover:underline" rel="prev">
            <ChevronLeft aria-hidden className="size-4" /> Previous
          </Link>
        ) : (
          <span />
        )}
        {list.next ? (
          <Link href={withCursor("after", list.next)} className="inline-flex items-center gap-1 text-brand-700 hover:underline" rel="next">
            Next <ChevronRight aria-hidden className="size-4" />
          </Link>
        ) : null}
      </nav>
    </>
  );
}
