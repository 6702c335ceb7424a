import { FilterBar, type FilterField } from "@/components/ui/filter-bar";
import { ENVIRONMENT_OPTIONS, TRANSACTION_STATUS_LABELS } from "@/lib/labels";
import type { TransactionFilterOptions } from "@/lib/transactions/queries";
import { TRANSACTION_STATUSES } from "@/lib/domain";
import { transactionList, type TransactionListParams } from "@/lib/lists/lists";

export const CURSOR_PARAMS = ["after", "before"] as const;

/** A terminal as the app names it: its pairing's name, then its id. */
export function terminalLabel(t: { terminalId: string; pairingName: string | null }): string {
  return t.pairingName ? `${t.pairingName} · ${t.terminalId}` : t.terminalId;
}

/** An option's label, cut so that one long name does not widen the filter bar. */
export function optionLabel(text: string, max = 48): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Search and filters of the transactions list. The terminal and register filters are lists when
 * the scope has at most a couple of hundred of each; past that the search box finds them (and a
 * terminal's or register's own page links to its filtered list).
 */
export function TransactionFilters({ params, options }: { params: TransactionListParams; options: TransactionFilterOptions }) {
  const { q, status, kind, environment, from, to, terminal, register } = transactionList.defaults;
  const hidden: Record<string, string> = {};
  if (params.sort !== transactionList.defaults.sort) hidden.sort = params.sort;
  if (params.merchant) hidden.merchant = String(params.merchant);
  // A terminal or register that the list does not offer (too many, or not in it) stays as it is.
  const terminalListed = options.terminals !== null && (!params.terminal || options.terminals.some((t) => t.id === params.terminal));
  const registerListed = options.registers !== null && (!params.register || options.registers.some((r) => r.id === params.register));
  if (params.terminal && !terminalListed) hidden.terminal = String(params.terminal);
  if (params.register && !registerListed) hidden.register = String(params.register);
  const fields: FilterField[] = [
    {
      kind: "search",
      id: "transaction-search",
      label: "Search",
      name: "q",
      placeholder: "Amount, transaction id, terminal, register",
      maxLength: 200,
    },
    {
      kind: "select",
      id: "transaction-status",
      label: "Status",
      name: "status",
      options: [
        { value: "all", label: "All statuses" },
        { value: "open", label: "Open (initiated or in progress)" },
        ...TRANSACTION_STATUSES.map((s) => ({ value: s, label: TRANSACTION_STATUS_LABELS[s] })),
      ],
    },
    {
      kind: "select",
      id: "transaction-kind",
      label: "Kind",
      name: "kind",
      options: [
        { value: "all", label: "All kinds" },
        { value: "charge", label: "Charges" },
        { value: "preauth", label: "Preauthorisations" },
        { value: "refund", label: "Refunds" },
      ],
    },
  ];
  if (terminalListed && options.terminals) {
    fields.push({
      kind: "select",
      id: "transaction-terminal",
      label: "Terminal",
      name: "terminal",
      options: [{ value: "0", label: "All terminals" }, ...options.terminals.map((t) => ({ value: String(t.id), label: optionLabel(terminalLabel(t)) }))],
    });
  }
  if (registerListed && options.registers) {
    fields.push({
      kind: "select",
      id: "transaction-register",
      label: "Register",
      name: "register",
      options: [{ value: "0", label: "All registers" }, ...options.registers.map((r) => ({ value: String(r.id), label: optionLabel(`${r.locationName} · ${r.name}`) }))],
    });
  }
  fields.push(
    { kind: "select", id: "transaction-environment", label: "Environment", name: "environment", options: ENVIRONMENT_OPTIONS },
    { kind: "date", id: "transaction-from", label: "Created from", name: "from" },
    { kind: "date", id: "transaction-to", label: "Created to", name: "to" },
  );
  return (
    <FilterBar
      action={transactionList.pathname}
      label="Filter transactions"
      defaults={{ q, status, kind, environment, from, to, terminal: String(terminal), register: String(register) }}
      hidden={hidden}
      resets={CURSOR_PARAMS}
      fields={fields}
    />
  );
}
