import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import type { LocationListRow } from "@/lib/data/locations";
import { withMerchant } from "@/lib/lists/merchant-links";

/** One row per location, with how many registers it has and how many of them route nowhere. */
export function LocationsTable({
  rows,
  empty,
  showMerchant = false,
  merchant = null,
}: {
  rows: LocationListRow[];
  empty: React.ReactNode;
  /** A "Merchant" column: staff looking at every merchant. */
  showMerchant?: boolean;
  /** The switcher's merchant (staff), kept on the links. */
  merchant?: number | null;
}) {
  const columns = showMerchant ? 6 : 5;
  return (
    <Table label="Locations" data-testid="location-table">
      <caption className="sr-only">Locations</caption>
      <THead>
        <tr>
          <TH>Name</TH>
          {showMerchant ? <TH>Merchant</TH> : null}
          <TH>Address</TH>
          <TH>Time zone</TH>
          <TH className="text-right">Registers</TH>
          <TH className="text-right">Unrouted</TH>
        </tr>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={columns}>{empty}</EmptyRow> : null}
        {rows.map((l) => (
          <TR key={l.id} data-testid="location-row">
            <TD>
              <Link href={withMerchant(`/locations/${l.id}`, merchant)} className="font-medium text-brand-700 underline-offset-4 hover:underline">
                {l.name}
              </Link>
              {l.archivedAt ? (
                <Badge tone="neutral" className="ml-2">
                  archived
                </Badge>
              ) : null}
            </TD>
            {showMerchant ? (
              <TD data-testid="merchant-cell">
                <Truncate text={l.merchantName} className="max-w-[12rem]" />
              </TD>
            ) : null}
            <TD>
              {l.address ? <Truncate text={l.address.replace(/\s*\n\s*/g, ", ")} className="max-w-[18rem]" /> : <span className="text-slate-600">—</span>}
            </TD>
            <TD className="whitespace-nowrap">{l.timeZone}</TD>
            <TD className="text-right tabular-nums" data-testid="registers-cell">
              {l.registers}
            </TD>
            <TD className="text-right tabular-nums" data-testid="unrouted-cell">
              {l.unrouted > 0 ? <Badge tone="warning">{l.unrouted}</Badge> : <span className="text-slate-600">0</span>}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
