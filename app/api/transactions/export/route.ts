import { transactionRows, type Cursor, type TransactionListRow } from "@/lib/transactions/list-queries";
import type { CsvColumn } from "@/lib/lists/csv";
import { withAccess } from "@/lib/auth/route";
import { exportList } from "@/lib/lists/export";
import { transactionList, loadMerchantView } from "@/lib/lists/lists";
import { currencyDigits } from "@/lib/transactions/money";

export const dynamic = "force-dynamic";

/** Minor units as a decimal in the currency's own digits: 1250 EUR → "12.50"; a refund's negative. */
function decimal(minor: number, currency: string | null, negative = false): string {
  const digits = currencyDigits(currency);
  const text = (minor / 10 ** digits).toFixed(digits);
  return negative && minor > 0 ? `-${text}` : text;
}

const isRefund = (r: TransactionListRow) => r.kind === "refund" || r.kind === "independent_refund";

const COLUMNS = ({ staff }: { staff: boolean }): CsvColumn<TransactionListRow>[] => [
  { header: "transaction_id", value: (r) => r.providerTransactionId },
  { header: "client_transaction_id", value: (r) => r.clientTransactionId },
  { header: "kind", value: (r) => r.kind },
  { header: "status", value: (r) => r.status },
  // A refund's amount is negative, so that a column's sum is what was taken.
  { header: "amount", value: (r) => decimal(r.amount, r.currency, isRefund(r)) },
  { header: "currency", value: (r) => r.currency },
  { header: "refunded", value: (r) => decimal(r.refundTotalAmount, r.currency) },
  { header: "refund_of_transaction_id", value: (r) => r.chargeProviderId },
  ...(staff ? [{ header: "merchant", value: (r: TransactionListRow) => r.merchantName }] : []),
  { header: "environment", value: (r) => r.environment },
  { header: "terminal_id", value: (r) => r.terminalId },
  { header: "pairing_name", value: (r) => r.pairingName },
  { header: "register", value: (r) => r.registerName },
  { header: "created_at", value: (r) => r.createdAt },
  { header: "status_changed_at", value: (r) => r.statusChangedAt },
  { header: "status_source", value: (r) => r.statusSource },
];

/** The transactions as CSV, streamed in keyset batches: the same filters and sort as /transactions. */
export const GET = withAccess(
  "transactions:read",
  (request, access) => {
    const params = { ...transactionList.load(request), page: 1 };
    let after: Cursor | null = null;
    return exportList(access, {
      list: "transactions",
      filters: transactionList.describe(params),
      columns: COLUMNS,
      fetchBatch: async (ctx, _offset, limit) => {
        const rows = await transactionRows(ctx, params, after, limit);
        const last = rows[rows.length - 1];
        if (last) after = transactionList.cursorOf(params, last);
        return rows;
      },
    });
  },
  { view: loadMerchantView, errors: "text" },
);
