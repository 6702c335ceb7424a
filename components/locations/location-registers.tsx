import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { EnvironmentBadge } from "@/components/ui/status-badges";
import { EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import type { LocationDetail } from "@/lib/registers/location-queries";
import { withMerchant } from "@/lib/lists/merchant-links";
import { cn } from "@/lib/utils";

/**
 * A location's registers in tree order: each physical register, then its virtual registers
 * indented under it. Each with its register ID (short, the whole on hover and in the copy
 * button: it is what the POS sends) and its route, or "Unrouted". In a narrow card the rows
 * stack: the name and its kind first, then the register ID, the reference and the route.
 */
export function LocationRegisters({
  registers,
  terminals,
  empty,
  merchant = null,
}: {
  registers: LocationDetail["registers"];
  terminals: LocationDetail["terminals"];
  /** The switcher's merchant (staff), kept on the links. */
  merchant?: number | null;
  empty: React.ReactNode;
}) {
  const byRef = new Map(terminals.map((t) => [t.ref, t]));
  return (
    <Table label="Registers of this location" data-testid="location-registers" stack>
      <caption className="sr-only">Registers of this location, each physical register followed by its virtual registers</caption>
      <THead>
        <TR>
          <TH>Register</TH>
          <TH>Kind</TH>
          <TH>Register ID</TH>
          <TH>External reference</TH>
          <TH>Routes to</TH>
        </TR>
      </THead>
      <TBody>
        {registers.length === 0 ? <EmptyRow colSpan={5}>{empty}</EmptyRow> : null}
        {registers.map((r) => {
          const terminal = r.terminalRef !== null ? byRef.get(r.terminalRef) : undefined;
          const virtual = r.kind === "virtual";
          return (
            <TR key={r.id} data-testid="register-row" data-register-id={r.registerId}>
              <TD data-stack="primary">
                <span className={cn("flex items-center gap-1", virtual && "pl-6")}>
                  {virtual ? (
                    <span aria-hidden className="text-slate-400">
                      ↳
                    </span>
                  ) : null}
                  <Link
                    href={withMerchant(`/registers/${r.id}`, merchant)}
                    className="min-w-0 break-words font-medium text-brand-700 underline-offset-4 hover:underline"
                  >
                    {r.name}
                  </Link>
                </span>
              </TD>
              <TD data-stack="aside" className="whitespace-nowrap">
                {virtual ? "virtual" : "physical"}
              </TD>
              <TD className="whitespace-nowrap" data-label="Register ID">
                <span className="font-mono text-xs" title={r.registerId}>
                  {r.registerId.slice(0, 8)}…
                </span>
                <CopyButton value={r.registerId} label={`register ID of ${r.name}`} />
              </TD>
              <TD data-label="External reference">
                {r.externalRef ? <Truncate text={r.externalRef} className="max-w-[12rem]" /> : <span className="text-slate-600">—</span>}
              </TD>
              <TD data-testid="route-cell" data-label="Routes to">
                {terminal ? (
                  <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1">
                    <Link
                      href={withMerchant(`/terminals/${terminal.ref}`, merchant)}
                      className="font-mono text-brand-700 underline-offset-4 [overflow-wrap:anywhere] hover:underline"
                    >
                      {terminal.terminalId}
                    </Link>
                    {terminal.pairingName ? <span className="max-w-[12rem] truncate text-slate-700" title={terminal.pairingName}>{terminal.pairingName}</span> : null}
                    <EnvironmentBadge environment={terminal.environment} />
                  </span>
                ) : (
                  <Badge tone="warning">Unrouted</Badge>
                )}
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
