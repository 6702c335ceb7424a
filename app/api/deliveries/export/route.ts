import { deliveryRows, type DeliveryListRow } from "@/lib/webhooks/queries";
import type { CsvColumn } from "@/lib/lists/csv";
import { withAccess } from "@/lib/auth/route";
import { exportList } from "@/lib/lists/export";
import { deliveryList, loadMerchantView } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

/** One line per delivery; its first event's transaction and status (the others counted). Never the body. */
const COLUMNS = ({ staff }: { staff: boolean }): CsvColumn<DeliveryListRow>[] => [
  { header: "delivery_id", value: (r) => r.id },
  { header: "received_at", value: (r) => r.receivedAt },
  { header: "verdict", value: (r) => r.verdict },
  { header: "http_status", value: (r) => r.httpStatus },
  { header: "reason", value: (r) => r.reason },
  { header: "event_status", value: (r) => r.events[0]?.status },
  { header: "transaction_id", value: (r) => r.events[0]?.providerTransactionId },
  { header: "other_events", value: (r) => Math.max(0, r.events.length - 1) },
  ...(staff ? [{ header: "merchant", value: (r: DeliveryListRow) => r.merchantName }] : []),
  { header: "terminal_id", value: (r) => r.terminalId },
  { header: "pairing_name", value: (r) => r.pairingName },
  { header: "size_bytes", value: (r) => r.sizeBytes },
  { header: "not_applied", value: (r) => (r.processError ? "yes" : "") },
];

/** The webhook deliveries as CSV: the same filters as /webhooks, newest first. */
export const GET = withAccess(
  "webhooks:read",
  (request, access) => {
    const params = { ...deliveryList.load(request), page: 1 };
    return exportList(access, {
      list: "webhook-deliveries",
      filters: deliveryList.describe(params),
      columns: COLUMNS,
      fetchBatch: (ctx, offset, limit) => deliveryRows(ctx, params, offset, limit),
    });
  },
  { view: loadMerchantView, errors: "text" },
);
