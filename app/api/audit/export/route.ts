import { auditActionLabel } from "@/lib/labels";
import { auditRows, type AuditListRow } from "@/lib/audit/queries";
import type { CsvColumn } from "@/lib/lists/csv";
import { withAccess } from "@/lib/auth/route";
import { exportList } from "@/lib/lists/export";
import { auditList, loadMerchantView } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

const COLUMNS: CsvColumn<AuditListRow>[] = [
  { header: "id", value: (r) => r.id },
  { header: "at", value: (r) => r.at },
  { header: "actor", value: (r) => r.actorEmail },
  { header: "merchant", value: (r) => r.merchantName },
  { header: "action", value: (r) => r.action },
  { header: "action_label", value: (r) => auditActionLabel(r.action) },
  { header: "target_type", value: (r) => r.target?.type },
  { header: "target_id", value: (r) => r.target?.id },
  { header: "target", value: (r) => r.target?.label },
  // The same pairs the page shows, secrets-named keys already hidden.
  { header: "details", value: (r) => r.details.map(([k, v]) => `${k}=${v}`).join("; ") },
];

/** The audit log as CSV: the same filters and sort as /audit (the page is ignored). */
export const GET = withAccess(
  "audit:read",
  (request, access) => {
    const params = { ...auditList.load(request), page: 1 };
    return exportList(access, {
      list: "audit",
      filters: auditList.describe(params),
      columns: COLUMNS,
      fetchBatch: (ctx, offset, limit) => auditRows(ctx, params, { offset, limit }),
    });
  },
  { view: loadMerchantView, errors: "text" },
);
