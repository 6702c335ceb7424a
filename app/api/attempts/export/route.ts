import { attemptRows, type AttemptListRow } from "@/lib/pairing/attempt-queries";
import type { CsvColumn } from "@/lib/lists/csv";
import { withAccess } from "@/lib/auth/route";
import { exportList } from "@/lib/lists/export";
import { attemptList, loadMerchantView } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

const COLUMNS: CsvColumn<AttemptListRow>[] = [
  { header: "id", value: (r) => r.id },
  { header: "created_at", value: (r) => r.createdAt },
  { header: "created_by", value: (r) => r.createdByEmail },
  { header: "merchant", value: (r) => r.merchantName },
  { header: "environment", value: (r) => r.environment },
  { header: "name", value: (r) => r.name },
  { header: "status", value: (r) => r.status },
  { header: "reason", value: (r) => r.reason },
  { header: "error_code", value: (r) => r.errorCode },
  { header: "terminal_id", value: (r) => r.terminalId },
  { header: "finished_at", value: (r) => r.finishedAt },
  { header: "recovered_at", value: (r) => r.recoveredAt },
  // A succeeded attempt that needs a second look (another terminal answered a pair again, a route not made).
  { header: "warning", value: (r) => r.warning },
];

/** The pairing attempts as CSV: the same filters and sort as /attempts (the page is ignored). */
export const GET = withAccess(
  "attempts:read",
  (request, access) => {
    const params = { ...attemptList.load(request), page: 1 };
    return exportList(access, {
      list: "attempts",
      filters: attemptList.describe(params),
      columns: COLUMNS,
      fetchBatch: (ctx, offset, limit) => attemptRows(ctx, params, { offset, limit }),
    });
  },
  { view: loadMerchantView, errors: "text" },
);
