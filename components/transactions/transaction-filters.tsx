import { ENVIRONMENT_OPTIONS, FilterBar } from "@/components/ui/filter-bar";
import { TRANSACTION_STATUSES } from "@/lib/domain";
import { transactionList, type TransactionListParams } from "@/lib/lists/lists";
import { STATUS_WORDS } from "./transaction-status-badge";

export const CURSOR_PARAMS = ["after", "before"] as const;

/** Search and filters of the transactions list (the terminal and register filters come from their pages' links). */
export function TransactionFilters({ params }: { params: TransactionListParams }) {
  const { q, status, environment, from, to } = transactionList.defaults;
  const hidden: Record<string, string> = {};
  if (params.sort !== transactionList.defaults.sort) hidden.sort = params.sort;
  if (params.merchant) hidden.merchant = String(params.merchant);
  if (params.terminal) hidden.terminal = String(params.terminal);
  if (params.register) hidden.register = String(params.register);
  return (
    <FilterBar
      action={transactionList.pathname}
      label="Filter transactions"
      defaults={{ q, status, environment, from, to }}
      hidden={hidden}
      resets={CURSOR_PARAMS}
      fields={[
        { kind: "search", id: "transaction-search", label: "Search", name: "q", placeholder: "Transaction id (or its start), or client transaction id", maxLength: 200 },
        {
          kind: "select",
          id: "transaction-status",
          label: "Status",
          name: "status",
          options: [
            { value: "all", label: "All statuses" },
            { value: "open", label: "Open (initiated or in progress)" },
            ...TRANSACTION_STATUSES.map((s) => ({ value: s, label: STATUS_WORDS[s] })),
          ],
        },
        { kind: "select", id: "transaction-environment", label: "Environment", name: "environment", options: ENVIRONMENT_OPTIONS },
        { kind: "date", id: "transaction-from", label: "Created from", name: "from" },
        { kind: "date", id: "transaction-to", label: "Created to", name: "to" },
      ]}
    />
  );
}
