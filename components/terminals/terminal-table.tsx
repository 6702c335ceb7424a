import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { SortableTH, type SortState } from "@/components/ui/sortable-header";
import { EnvironmentBadge, TerminalStatusBadge } from "@/components/ui/status-badges";
import { CellFill, EmptyRow, Table, TBody, TH, THead } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import type { TerminalListRow } from "@/lib/pairing/terminal-queries";

type Column = "terminal_id" | "environment" | "paired_at";

/**
 * One row per terminal with its active pairing and how many registers route to it. It fits its
 * card at 1280 px with the Merchant column: the status (with the register count under it) comes
 * right after the terminal id, and who paired it sits under the pairing's name. In a narrow card
 * the rows stack: the terminal id and its status on the first line, then the rest, labelled.
 */
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
    <Table label="Terminals" data-testid="terminal-table" stack>
      <caption className="sr-only">Terminals</caption>
      <THead>
        <tr>
          {header("Terminal ID", "terminal_id")}
          <TH>Status</TH>
          {showMerchant ? <TH>Merchant</TH> : null}
          {header("Environment", "environment")}
          <TH>Active pairing</TH>
          {header("Paired at", "paired_at")}
        </tr>
      </THead>
      <TBody styled>
        {rows.length === 0 ? <EmptyRow colSpan={showMerchant ? 6 : 5}>{empty}</EmptyRow> : null}
        {rows.map((t) => {
          return (
            <tr key={t.id} data-testid="terminal-row">
              <td data-stack="primary" className="whitespace-nowrap">
                <Link
                  href={`/terminals/${t.id}`}
                  className="font-mono font-medium text-brand-700 underline-offset-4 [overflow-wrap:anywhere] hover:underline"
                >
                  {t.terminalId}
                </Link>
              </td>
              <td data-stack="aside" className="whitespace-nowrap">
                <TerminalStatusBadge paired={t.activePairing !== null} credentialsRefused={!!t.activePairing?.credentialsRefusedAt} />
                <span className="mt-1 block text-xs text-slate-600">
                  <span data-testid="register-count" className="tabular-nums">
                    {t.registerCount}
                  </span>{" "}
                  {t.registerCount === 1 ? "register" : "registers"}
                </span>
              </td>
              {showMerchant ? (
                <td data-testid="merchant-cell" data-label="Merchant">
                  <Truncate text={t.merchantName} className="max-w-[11rem]" />
                </td>
              ) : null}
              <td data-stack="inline">
                <EnvironmentBadge environment={t.environment} />
              </td>
              <td data-label="Pairing" className="w-full">
                {t.activePairing ? (
                  <CellFill>
                    <Truncate text={t.activePairing.name} className="max-w-[20rem]" />
                    {t.activePairing.pairedByEmail ? (
                      <span className="flex min-w-0 gap-1 text-xs text-slate-600">
                        by <Truncate text={t.activePairing.pairedByEmail} className="max-w-[18rem]" />
                      </span>
                    ) : null}
                  </CellFill>
                ) : (
                  <span className="text-slate-600">—</span>
                )}
              </td>
              <td className="whitespace-nowrap" data-label="Paired" data-stack={t.activePairing ? "inline" : "hide"}>
                {t.activePairing ? (
                  <RelativeTime value={t.activePairing.pairedAt} now={now} />
                ) : (
                  <span className="text-slate-600">—</span>
                )}
              </td>
            </tr>
          );
        })}
      </TBody>
    </Table>
  );
}
