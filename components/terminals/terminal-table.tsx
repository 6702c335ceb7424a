import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { SortableTH, type SortState } from "@/components/ui/sortable-header";
import { EnvironmentBadge, TerminalStatusBadge } from "@/components/ui/status-badges";
import { EmptyRow, Table, TBody, TH, THead } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import type { TerminalListRow } from "@/lib/data/terminals";

type Column = "terminal_id" | "environment" | "paired_at";

/** One row per terminal with its active pairing and how many registers route to it. */
export function TerminalTable({
  rows,
  empty,
  now,
  sort,
  showMerchant = false,
}: {
  rows: TerminalListRow[];
  empty: React.ReactNode;
  now: number;
  /** A "Merchant" column: staff looking at every merchant. */
  showMerchant?: boolean;
  /** The list's sort and each column header's link. */
  sort: SortState & { hrefFor: (column: Column) => string };
}) {
  const header = (label: string, column: Column) => (
    <SortableTH label={label} column={column} sort={sort} href={sort.hrefFor(column)} />
  );
  return (
    <Table label="Terminals" data-testid="terminal-table">
      <caption className="sr-only">Terminals</caption>
      <THead>
        <tr>
          {header("Terminal ID", "terminal_id")}
          {showMerchant ? <TH>Merchant</TH> : null}
          {header("Environment", "environment")}
          <TH>Active pairing</TH>
          {header("Paired at", "paired_at")}
          <TH>Paired by</TH>
          <TH>Registers</TH>
          <TH>Status</TH>
        </tr>
      </THead>
      <TBody styled>
        {rows.length === 0 ? <EmptyRow colSpan={showMerchant ? 8 : 7}>{empty}</EmptyRow> : null}
        {rows.map((t) => {
          return (
            <tr key={t.id} data-testid="terminal-row">
              <td>
                <Link
                  href={`/terminals/${t.id}`}
                  className="font-mono font-medium text-brand-700 underline-offset-4 hover:underline"
                >
                  {t.terminalId}
                </Link>
              </td>
              {showMerchant ? (
                <td data-testid="merchant-cell">
                  <Truncate text={t.merchantName} className="max-w-[12rem]" />
                </td>
              ) : null}
              <td>
                <EnvironmentBadge environment={t.environment} />
              </td>
              <td>
                {t.activePairing ? (
                  <Truncate text={t.activePairing.name} className="max-w-[14rem]" />
                ) : (
                  <span className="text-slate-600">—</span>
                )}
              </td>
              <td className="whitespace-nowrap">
                {t.activePairing ? (
                  <RelativeTime value={t.activePairing.pairedAt} now={now} />
                ) : (
                  <span className="text-slate-600">—</span>
                )}
              </td>
              <td>
                {t.activePairing?.pairedByEmail ? (
                  <Truncate text={t.activePairing.pairedByEmail} className="max-w-[12rem]" />
                ) : (
                  <span className="text-slate-600">—</span>
                )}
              </td>
              <td className="tabular-nums" data-testid="register-count">
                {t.registerCount > 0 ? (
                  <span>
                    {t.registerCount}
                    <span className="sr-only"> {t.registerCount === 1 ? "register routes" : "registers route"} here</span>
                  </span>
                ) : (
                  <span className="text-slate-600">0</span>
                )}
              </td>
              <td>
                <TerminalStatusBadge paired={t.activePairing !== null} />
              </td>
            </tr>
          );
        })}
      </TBody>
    </Table>
  );
}
