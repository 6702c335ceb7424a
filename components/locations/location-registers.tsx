"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { CopyId } from "@/components/ui/copy-id";
import { CopyIdScope } from "@/components/ui/copy-id-scope";
import { EnvironmentBadge } from "@/components/ui/status-badges";
import { EmptyRow, Table, TBody, TH, THead, TR } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import type { LocationDetail } from "@/lib/registers/location-queries";
import { withMerchant } from "@/lib/lists/merchant-links";

/**
 * (A client component: the rows come as data rather than as a server-rendered element tree,
 * which would carry every element and class of every row a second time.)
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
    <CopyIdScope>
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
      <TBody styled>
        {registers.length === 0 ? <EmptyRow colSpan={5}>{empty}</EmptyRow> : null}
        {registers.map((r) => {
          const terminal = r.terminalRef !== null ? byRef.get(r.terminalRef) : undefined;
          const virtual = r.kind === "virtual";
          return (
            <tr key={r.id} data-testid="register-row" data-register-id={r.registerId}>
              <td data-stack="primary">
                <span className={virtual ? "flex items-center gap-1 pl-6" : "flex items-center gap-1"}>
                  {virtual ? (
                    <span aria-hidden className="text-slate-400">
                      ↳
                    </span>
                  ) : null}
                  <Link href={withMerchant(`/registers/${r.id}`, merchant)} className="text-link min-w-0 break-words">
                    {r.name}
                  </Link>
                </span>
              </td>
              <td data-stack="aside" className="whitespace-nowrap">
                {virtual ? "virtual" : "physical"}
              </td>
              <td className="whitespace-nowrap" data-label="Register ID">
                <span className="font-mono text-xs" title={r.registerId}>
                  {r.registerId.slice(0, 8)}…
                </span>
                <CopyId value={r.registerId} label={`register ID of ${r.name}`} />
              </td>
              <td data-label="External reference">
                {r.externalRef ? <Truncate text={r.externalRef} className="max-w-[12rem]" /> : <span className="text-slate-600">—</span>}
              </td>
              <td data-testid="route-cell" data-label="Routes to">
                {terminal ? (
                  <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1">
                    <Link href={withMerchant(`/terminals/${terminal.ref}`, merchant)} className="text-link font-mono font-normal [overflow-wrap:anywhere]">
                      {terminal.terminalId}
                    </Link>
                    {terminal.pairingName ? <span className="max-w-[12rem] truncate text-slate-700" title={terminal.pairingName}>{terminal.pairingName}</span> : null}
                    <EnvironmentBadge environment={terminal.environment} />
                  </span>
                ) : (
                  <Badge tone="warning">Unrouted</Badge>
                )}
              </td>
            </tr>
          );
        })}
      </TBody>
    </Table>
    </CopyIdScope>
  );
}
