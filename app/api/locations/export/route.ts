import { locationRows, type LocationListRow } from "@/lib/registers/location-queries";
import type { CsvColumn } from "@/lib/lists/csv";
import { withAccess } from "@/lib/auth/route";
import { exportList } from "@/lib/lists/export";
import { locationList, loadMerchantView } from "@/lib/lists/lists";

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
export const GET = withAccess(
  "registers:read",
  (request, access) => {
    const params = { ...locationList.load(request), page: 1 };
    return exportList(access, {
      list: "locations",
      filters: locationList.describe(params),
      columns: COLUMNS,
      fetchBatch: (ctx, offset, limit) => locationRows(ctx, params, offset, limit),
    });
  },
  { view: loadMerchantView, errors: "text" },
);
