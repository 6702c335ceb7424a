"use client";

import Link from "next/link";
import { CopyId } from "@/components/ui/copy-id";
import { CopyIdScope } from "@/components/ui/copy-id-scope";
import { EnvironmentBadge } from "@/components/ui/status-badges";
import { Truncate } from "@/components/ui/truncate";
import type { TreeRow } from "./tree-row";
import { withMerchant } from "@/lib/lists/merchant-links";
import { RegisterKindBadge, shortRegisterId, UnroutedBadge } from "./register-badges";

type Group = {
  locationId: number;
  locationName: string;
  merchantName: string;
  registers: { row: TreeRow; children: TreeRow[] }[];
};

/**
 * The page's rows (already in tree order: location, physical register, its virtual registers)
 * as groups. A virtual register whose physical register is on the previous page is an entry of
 * its own, named as a continuation ("of Till 1"), as is each of its siblings.
 */
function groupRows(rows: TreeRow[]): Group[] {
  const groups: Group[] = [];
  for (const row of rows) {
    let group = groups.at(-1);
    if (!group || group.locationId !== row.locationId) {
      group = { locationId: row.locationId, locationName: row.locationName, merchantName: row.merchantName, registers: [] };
      groups.push(group);
    }
    const last = group.registers.at(-1);
    // Under its physical register when that is on this page; otherwise an entry of its own,
    // named as a continuation (never under a sibling: that would read as a virtual register's).
    const under = row.kind === "virtual" && last !== undefined && last.row.kind === "physical" && last.row.id === row.parentId;
    if (under) last.children.push(row);
    else group.registers.push({ row, children: [] });
  }
  return groups;
}

/**
 * The registers tree (a client component: its rows come as data, see ./tree-row.ts), as nested lists, which assistive technology reads as a tree with its
 * levels ("list, level 2"): a location (a heading) → its physical registers → each one's virtual
 * registers. Each entry is laid out in columns on a wide screen (the header row is for the eye
 * only; every value carries its own label for screen readers and phones).
 */
export function RegisterTree({
  rows,
  empty,
  showMerchant,
  merchant,
}: {
  rows: TreeRow[];
  empty: React.ReactNode;
  /** Staff looking at every merchant: each location names its merchant. */
  showMerchant: boolean;
  /** The switcher's merchant, kept on links. */
  merchant: number | null;
}) {
  if (rows.length === 0) {
    return (
      <div className="rounded-lg border border-slate-200 bg-white px-4 py-10 text-sm text-slate-600" data-testid="registers-empty">
        {empty}
      </div>
    );
  }
  const groups = groupRows(rows);
  return (
    <CopyIdScope className="rounded-lg border border-slate-200 bg-white text-sm">
    <div data-testid="register-tree">
      <div
        aria-hidden
        className="hidden border-b border-slate-200 bg-slate-50 px-4 py-2.5 text-xs font-semibold uppercase tracking-wide text-slate-700 lg:grid lg:grid-cols-[minmax(0,2fr)_minmax(0,1.3fr)_minmax(0,1fr)_minmax(0,2fr)] lg:gap-4"
      >
        <span>Register</span>
        <span>Register ID</span>
        <span>External reference</span>
        <span>Routes to</span>
      </div>
      <ul aria-label="Registers by location" className="divide-y divide-slate-200">
        {groups.map((g, i) => (
          <li key={`${g.locationId}-${i}`} data-testid="register-location" data-location-id={g.locationId}>
            <h2 className="flex flex-wrap items-baseline gap-x-2 bg-slate-50/60 px-4 pb-1 pt-3 text-sm font-semibold text-slate-900">
              <Link href={withMerchant(`/locations/${g.locationId}`, merchant)} className="text-brand-700 underline-offset-4 hover:underline">
                {g.locationName}
              </Link>
              {showMerchant ? (
                <span className="text-xs font-normal text-slate-600" data-testid="merchant-cell">
                  {g.merchantName}
                </span>
              ) : null}
            </h2>
            <ul aria-label={`Registers of ${g.locationName}`} className="divide-y divide-slate-100">
              {g.registers.map(({ row, children }) => (
                <li key={row.id}>
                  <RegisterEntry row={row} merchant={merchant} continued={row.kind === "virtual"} />
                  {children.length > 0 ? (
                    <ul aria-label={`Virtual registers of ${row.kind === "physical" ? row.name : (row.parentName ?? "")}`} className="divide-y divide-slate-100">
                      {children.map((c) => (
                        <li key={c.id}>
                          <RegisterEntry row={c} merchant={merchant} nested />
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
    </CopyIdScope>
  );
}

function Label({ children }: { children: React.ReactNode }) {
  return <span className="cell-label">{children}</span>;
}

function RegisterEntry({
  row,
  merchant,
  nested = false,
  continued = false,
}: {
  row: TreeRow;
  merchant: number | null;
  nested?: boolean;
  /**
   * A virtual register listed without its physical register (on the previous page, or left out
   * by a filter: the list cannot tell which, so it names the parent and says no more).
   */
  continued?: boolean;
}) {
  return (
    <div data-testid="register-row" data-register={row.id} data-kind={row.kind} data-level={nested ? 2 : 1} className="tree-row">
      <div className={nested ? "tree-cell pl-6" : "tree-cell"}>
        {nested ? (
          <span aria-hidden className="-ml-5 text-slate-400">
            └
          </span>
        ) : null}
        <Link href={withMerchant(`/registers/${row.id}`, merchant)} className="text-link min-w-0 break-words">
          {row.name}
        </Link>
        <RegisterKindBadge kind={row.kind} />
        {continued && row.parentName ? <span className="text-xs text-slate-600">of {row.parentName}</span> : null}
      </div>
      <div className="tree-cell">
        <Label>Register ID</Label>
        <span className="font-mono text-xs" title={row.registerId}>
          {shortRegisterId(row.registerId)}
        </span>
        <CopyId value={row.registerId} label={`register ID of ${row.name}`} />
      </div>
      <div className="min-w-0">
        <Label>External reference</Label>
        {row.externalRef ? <Truncate text={row.externalRef} className="max-w-[12rem]" /> : <span className="text-slate-600">—</span>}
      </div>
      <div className="tree-cell" data-testid="register-route">
        <Label>Routes to</Label>
        {row.route ? (
          <>
            <Link href={withMerchant(`/terminals/${row.route.terminalRef}`, merchant)} className="text-link font-mono">
              {row.route.terminalId}
            </Link>
            <EnvironmentBadge environment={row.route.environment} />
            {row.route.pairingName ? <Truncate text={row.route.pairingName} className="max-w-[12rem] text-slate-700" /> : null}
          </>
        ) : (
          <UnroutedBadge />
        )}
      </div>
    </div>
  );
}
