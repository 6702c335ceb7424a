import { registerRowsAfter, type RegisterListRow } from "@/lib/registers/queries";
import { registerCursorOf, type RegisterCursor } from "@/lib/registers/cursor";
import type { CsvColumn } from "@/lib/lists/csv";
import { withAccess } from "@/lib/auth/route";
import { exportList } from "@/lib/lists/export";
import { registerList, loadMerchantView } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

const MERCHANT: CsvColumn<RegisterListRow> = { header: "merchant", value: (r) => r.merchantName };

const COLUMNS: CsvColumn<RegisterListRow>[] = [
  { header: "location", value: (r) => r.locationName },
  { header: "register", value: (r) => r.name },
  { header: "kind", value: (r) => r.kind },
  { header: "parent_register", value: (r) => r.parentName },
  { header: "register_id", value: (r) => r.registerId },
  { header: "external_reference", value: (r) => r.externalRef },
  { header: "routed_to_terminal", value: (r) => r.route?.terminalId },
  { header: "environment", value: (r) => r.route?.environment },
  { header: "pairing_name", value: (r) => r.route?.pairing?.name },
  { header: "pay_connect_id", value: (r) => r.route?.pairing?.payConnectId },
  { header: "routed_at", value: (r) => r.routedAt },
];

/**
 * The registers tree as CSV, in tree order, streamed in keyset batches, with the same filters as
 * /registers (the page is ignored). Staff get a merchant column first; a merchant's people, who see one merchant, do not.
 */
export const GET = withAccess(
  "registers:read",
  (request, access) => {
    const params = { ...registerList.load(request), page: 1 };
    let after: RegisterCursor | null = null;
    return exportList(access, {
      list: "registers",
      filters: registerList.describe(params),
      columns: ({ staff }) => (staff ? [MERCHANT, ...COLUMNS] : COLUMNS),
      fetchBatch: async (ctx, _offset, limit) => {
        const rows = await registerRowsAfter(ctx, params, after, limit);
        const last = rows.at(-1);
        if (last) after = registerCursorOf(last);
        return rows;
      },
    });
  },
  { view: loadMerchantView, errors: "text" },
);
