import { terminalCsvColumns } from "@/lib/pairing/terminal-csv-columns";
import { terminalRows } from "@/lib/pairing/terminal-queries";
import { exportList } from "@/lib/lists/export";
import { terminalList } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

/** The terminal list as CSV: the same filters and sort as /terminals (the page is ignored). */
export async function GET(request: Request) {
  const params = { ...terminalList.load(request), page: 1 };
  return exportList({
    list: "terminals",
    permission: "terminals:read",
    merchant: params.merchant,
    filters: terminalList.describe(params),
    columns: ({ staff }) => terminalCsvColumns({ staff }),
    fetchBatch: (ctx, offset, limit) => terminalRows(ctx, params, { offset, limit }),
  });
}
