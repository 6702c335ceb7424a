import Link from "next/link";
import { dateField, searchField, selectField } from "@/components/lists/fields";
import { ListPage, listAccess, type ListPageProps } from "@/components/lists/list-page";
import { choiceField, terminalLabel, transactionCountText } from "@/components/transactions/filter-fields";
import { TransactionTable } from "@/components/transactions/transaction-table";
import { Alert } from "@/components/ui/alert";
import type { FilterField } from "@/components/ui/filter-bar";
import { TRANSACTION_STATUSES, type TransactionStatus } from "@/lib/domain";
import { formatDateTime } from "@/lib/format";
import { ENVIRONMENT_OPTIONS, environmentLabel, TRANSACTION_STATUS_LABELS } from "@/lib/labels";
import { transactionList } from "@/lib/lists/lists";
import { queryTransactionFilterOptions, queryTransactions } from "@/lib/transactions/list-queries";

export const metadata = { title: "Transactions" };

const KIND_WORDS: Record<string, string> = { charge: "Charges", preauth: "Preauthorisations", refund: "Refunds" };

export default async function TransactionsPage({ searchParams }: ListPageProps) {
  const { params, ctx } = await listAccess(transactionList, "transactions:read", searchParams);
  const list = await queryTransactions(ctx, params, { after: params.after, before: params.before });
  const options = await queryTransactionFilterOptions(ctx);
  // A chosen terminal or register is named by the list of them, else by a row, else by number.
  const first = list.rows[0];
  const chosenTerminal = options.terminals?.find((t) => t.id === params.terminal) ?? (first && params.terminal ? first : null);
  const chosenRegister = options.registers?.find((r) => r.id === params.register)?.name ?? (first && params.register ? first.registerName : null);
  // The terminal and register filters are lists when the scope has at most a couple of hundred
  // of each; past that the search box finds them (and their own pages link to this list filtered).
  const fields = [
    searchField("transaction-search", "Amount, transaction id, terminal, register", 200),
    selectField("transaction-status", "Status", "status", [
      ["all", "All statuses"],
      ["open", "Open (initiated or in progress)"],
      ...TRANSACTION_STATUSES.map((s) => [s, TRANSACTION_STATUS_LABELS[s]] as const),
    ]),
    selectField("transaction-kind", "Kind", "kind", [["all", "All kinds"], ...Object.entries(KIND_WORDS)]),
    choiceField({ id: "transaction-terminal", label: "Terminal", name: "terminal", all: "All terminals" }, options.terminals, params.terminal, terminalLabel),
    choiceField({ id: "transaction-register", label: "Register", name: "register", all: "All registers" }, options.registers, params.register, (r) => `${r.locationName} · ${r.name}`),
    selectField("transaction-environment", "Environment", "environment", ENVIRONMENT_OPTIONS),
    dateField("transaction-from", "Created from", "from"),
    dateField("transaction-to", "Created to", "to"),
  ].filter((f): f is FilterField => f !== null);
  const summary = list.count
    ? transactionCountText(list.count, list.rows.length, transactionList.sortOf(params).direction === "desc")
    : list.lookedThrough
      ? `${list.rows.length} found, searched to ${formatDateTime(list.lookedThrough)}; ${params.before ? "Previous" : "Next"} searches further`
      : null;
  return (
    <ListPage
      list={transactionList}
      params={params}
      title="Transactions"
      description="Every payment, refund and preauthorisation on your terminals, with its status as Pay-Connect reports it (by webhook, by polling, or in answer to an operation)."
      filters={{ label: "Filter transactions", fields }}
      notice={
        // A "from" after the "to": no transaction can match; say so rather than show an empty list.
        params.from && params.to && params.from > params.to ? (
          <Alert tone="warning" role="alert" className="mb-3" data-testid="date-order-warning">
            &ldquo;Created from&rdquo; ({params.from}) is after &ldquo;Created to&rdquo; ({params.to}): no transaction can match.{" "}
            <Link href={transactionList.href(params, { from: params.to, to: params.from, page: 1 })} className="font-medium underline underline-offset-2">
              Swap the dates
            </Link>
          </Alert>
        ) : null
      }
      chips={{
        status: (v) => (v === "open" ? "Open" : (TRANSACTION_STATUS_LABELS[v as TransactionStatus] ?? v)),
        environment: environmentLabel,
        terminal: (v) => (chosenTerminal ? terminalLabel(chosenTerminal) : `#${v}`),
        register: (v) => chosenRegister ?? `#${v}`,
        kind: (v) => KIND_WORDS[v] ?? v,
      }}
      exportPath="/api/transactions/export"
      noun={["transactions", "transaction"]}
      empty="No transactions yet. A charge sent from a terminal's page, or a payment taken on a paired terminal, shows here."
      paging={{ prev: list.prev, next: list.next, summary, summaryTestId: "transaction-count" }}
    >
      {(table) => <TransactionTable rows={list.rows} now={list.readAt} showMerchant={ctx.scope.kind === "all"} {...table} />}
    </ListPage>
  );
}
