import { terminalRows, type TerminalListRow } from "@/lib/data/terminals";
import type { CsvColumn } from "@/lib/lists/csv";
import { exportList } from "@/lib/lists/export";
import { terminalList } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

const COLUMNS: CsvColumn<TerminalListRow>[] = [
  { header: "terminal_id", value: (r) => r.terminalId },
  { header: "merchant", value: (r) => r.merchantName },
  { header: "environment", value: (r) => r.environment },
  { header: "status", value: (r) => (r.activePairingCount > 0 ? "paired" : "unpaired") },
  { header: "active_pairing", value: (r) => r.activePairing?.name },
  { header: "active_pairings", value: (r) => r.activePairingCount },
  { header: "paired_at", value: (r) => r.activePairing?.pairedAt },
  { header: "paired_by", value: (r) => r.activePairing?.pairedByEmail },
];

/** The terminal list as CSV: the same filters and sort as /terminals (the page is ignored). */
export async function GET(request: Request) {
  const params = { ...terminalList.load(request), page: 1 };
  return exportList({
    list: "terminals",
    permission: "terminals:read",
    merchant: params.merchant,
    filters: terminalList.describe(params),
    columns: COLUMNS,
    fetchBatch: (ctx, offset, limit) => terminalRows(ctx, params, { offset, limit }),
  });
}
