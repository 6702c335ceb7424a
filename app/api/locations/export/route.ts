import { locationRows, type LocationListRow } from "@/lib/registers/location-queries";
import type { CsvColumn } from "@/lib/lists/csv";
import { exportList } from "@/lib/lists/export";
import { locationList } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

const COLUMNS = ({ staff }: { staff: boolean }): CsvColumn<LocationListRow>[] => [
  ...(staff ? [{ header: "merchant", value: (r: LocationListRow) => r.merchantName }] : []),
  { header: "location", value: (r) => r.name },
  { header: "address", value: (r) => r.address },
  { header: "time_zone", value: (r) => r.timeZone },
  { header: "registers", value: (r) => r.registers },
  { header: "unrouted_registers", value: (r) => r.unrouted },
  { header: "created_at", value: (r) => r.createdAt },
  { header: "archived_at", value: (r) => r.archivedAt },
];

/** The locations as CSV: the same search and filter as /locations, in its order. */
export async function GET(request: Request) {
  const params = { ...locationList.load(request), page: 1 };
  return exportList({
    list: "locations",
    permission: "registers:read",
    merchant: params.merchant,
    filters: locationList.describe(params),
    columns: COLUMNS,
    fetchBatch: (ctx, offset, limit) => locationRows(ctx, params, offset, limit),
  });
}
