import { transactionRows, type Cursor, type TransactionListRow } from "@/lib/data/transactions";
import type { CsvColumn } from "@/lib/lists/csv";
import { exportList } from "@/lib/lists/export";
import { transactionList } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

const COLUMNS = ({ staff }: { staff: boolean }): CsvColumn<TransactionListRow>[] => [
  { header: "transaction_id", value: (r) => r.providerTransactionId },
  { header: "client_transaction_id", value: (r) => r.clientTransactionId },
  { header: "kind", value: (r) => r.kind },
  { header: "status", value: (r) => r.status },
  { header: "amount_minor", value: (r) => r.amount },
  { header: "refunded_minor", value: (r) => r.refundTotalAmount },
  { header: "currency", value: (r) => r.currency },
  ...(staff ? [{ header: "merchant", value: (r: TransactionListRow) => r.merchantName }] : []),
  { header: "environment", value: (r) => r.environment },
  { header: "terminal_id", value: (r) => r.terminalId },
  { header: "register", value: (r) => r.registerName },
  { header: "created_at", value: (r) => r.createdAt },
  { header: "status_changed_at", value: (r) => r.statusChangedAt },
  { header: "status_source", value: (r) => r.statusSource },
];

/** The transactions as CSV, streamed in keyset batches: the same filters and sort as /transactions. */
export async function GET(request: Request) {
  const params = { ...transactionList.load(request), page: 1 };
  const { column } = transactionList.sortOf(params);
  let after: Cursor | null = null;
  return exportList({
    list: "transactions",
    permission: "transactions:read",
    merchant: params.merchant,
    filters: transactionList.describe(params),
    columns: COLUMNS,
    fetchBatch: (ctx, _offset, limit) => {
      const rows = transactionRows(ctx, params, after, limit);
      const last = rows[rows.length - 1];
      if (last) after = { at: (column === "updated" ? last.statusChangedAt : last.createdAt).getTime(), id: last.id };
      return rows;
    },
  });
}
