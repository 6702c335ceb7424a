import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { CellFill, EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import type { LocationListRow } from "@/lib/registers/location-queries";
import { withMerchant } from "@/lib/lists/merchant-links";

/**
 * One row per location, with how many registers it has and how many of them route nowhere. The
 * address takes the room the other columns leave (cut, the whole on hover). In a narrow card the
 * rows stack: the name first, then the merchant, the address, the time zone and the counts.
 */
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
    <Table label="Locations" data-testid="location-table" stack>
      <caption className="sr-only">Locations</caption>
      <THead>
        <TR>
          <TH>Name</TH>
          {showMerchant ? <TH>Merchant</TH> : null}
          <TH>Address</TH>
          <TH>Time zone</TH>
          <TH className="text-right">Registers</TH>
          <TH className="text-right">Unrouted</TH>
        </TR>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={columns}>{empty}</EmptyRow> : null}
        {rows.map((l) => (
          <TR key={l.id} data-testid="location-row">
            <TD data-stack="primary" className="min-w-48">
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
              <TD data-testid="merchant-cell" data-label="Merchant">
                <Truncate text={l.merchantName} className="max-w-[12rem]" />
              </TD>
            ) : null}
            <TD className="w-full" data-label="Address">
              <CellFill>
                {l.address ? <Truncate text={l.address.replace(/\s*\n\s*/g, ", ")} className="max-w-[24rem]" /> : <span className="text-slate-600">—</span>}
              </CellFill>
            </TD>
            <TD className="whitespace-nowrap" data-label="Time zone">
              {l.timeZone}
            </TD>
            <TD className="text-right tabular-nums" data-testid="registers-cell" data-stack="inline" data-label="Registers">
              {l.registers}
            </TD>
            <TD className="text-right tabular-nums" data-testid="unrouted-cell" data-stack="inline" data-label="Unrouted">
              {l.unrouted > 0 ? <Badge tone="warning">{l.unrouted}</Badge> : <span className="text-slate-600">0</span>}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
