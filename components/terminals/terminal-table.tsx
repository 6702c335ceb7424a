import Link from "next/link";
import { EnvironmentBadge, TerminalStatusBadge } from "@/components/ui/status-badges";
import { EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { TerminalListRow } from "@/lib/data/terminals";
import { formatDateTime } from "@/lib/format";

/** One row per terminal with its newest active pairing ("+N more" when it serves several registers). */
export function TerminalTable({ rows, empty }: { rows: TerminalListRow[]; empty: React.ReactNode }) {
  return (
    <Table label="Terminals" data-testid="terminal-table">
      <caption className="sr-only">Terminals</caption>
      <THead>
        <tr>
          <TH>Terminal ID</TH>
          <TH>Environment</TH>
          <TH>Active pairing</TH>
          <TH>Paired at</TH>
          <TH>Paired by</TH>
          <TH>Status</TH>
        </tr>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={6}>{empty}</EmptyRow> : null}
        {rows.map((t) => {
          const more = t.activePairingCount - 1;
          return (
            <TR key={t.id} data-testid="terminal-row">
              <TD>
                <Link
                  href={`/terminals/${t.id}`}
                  className="font-mono font-medium text-brand-700 underline-offset-4 hover:underline"
                >
                  {t.terminalId}
                </Link>
              </TD>
              <TD>
                <EnvironmentBadge environment={t.environment} />
              </TD>
              <TD>
                {t.activePairing ? (
                  <>
                    <span>{t.activePairing.name}</span>
                    {more > 0 ? (
                      <span className="ml-2 whitespace-nowrap text-xs text-slate-600">
                        +{more} more
                      </span>
                    ) : null}
                  </>
                ) : (
                  <span className="text-slate-600">—</span>
                )}
              </TD>
              <TD className="whitespace-nowrap">
                {t.activePairing ? (
                  <time dateTime={t.activePairing.pairedAt.toISOString()}>
                    {formatDateTime(t.activePairing.pairedAt)}
                  </time>
                ) : (
                  <span className="text-slate-600">—</span>
                )}
              </TD>
              <TD>
                {t.activePairing?.pairedByEmail ?? <span className="text-slate-600">—</span>}
              </TD>
              <TD>
                <TerminalStatusBadge paired={t.activePairingCount > 0} />
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
