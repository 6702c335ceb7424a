import { terminalCsvColumns } from "@/lib/pairing/terminal-csv-columns";
import { terminalRows } from "@/lib/pairing/terminal-queries";
import { withAccess } from "@/lib/auth/route";
import { exportList } from "@/lib/lists/export";
import { terminalList, loadMerchantView } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

/** The terminal list as CSV: the same filters and sort as /terminals (the page is ignored). */
export const GET = withAccess(
  "terminals:read",
  (request, access) => {
    const params = { ...terminalList.load(request), page: 1 };
    return exportList(access, {
      list: "terminals",
      filters: terminalList.describe(params),
      columns: ({ staff }) => terminalCsvColumns({ staff }),
      fetchBatch: (ctx, offset, limit) => terminalRows(ctx, params, { offset, limit }),
    });
  },
  { view: loadMerchantView, errors: "text" },
);
