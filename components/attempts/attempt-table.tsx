import Link from "next/link";
import { AttemptStatusBadge, EnvironmentBadge } from "@/components/ui/status-badges";
import { EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { AttemptListRow } from "@/lib/data/attempts";
import { formatDateTime } from "@/lib/format";

/** What an attempt's outcome means, when no reason was recorded. */
const FALLBACK_REASON: Record<AttemptListRow["status"], string> = {
  pending: "Waiting for Pay-Connect's answer.",
  succeeded: "Paired.",
  failed: "Failed; no reason was recorded.",
  outcome_unknown:
    "Pay-Connect's answer never arrived, so it is not known whether the terminal was paired. Check the terminal before trying again.",
  needs_recovery:
    "Pay-Connect paired the terminal, but the credentials could not be saved. An admin must complete the recovery.",
};

/** A pending attempt older than this has most likely lost its answer (the server stopped). */
const STALE_PENDING_MS = 5 * 60 * 1000;

function reasonOf(row: AttemptListRow, now: number): string {
  if (row.reason) return row.reason;
  if (row.status === "pending" && now - row.createdAt.getTime() > STALE_PENDING_MS) {
    return "Still pending after several minutes: the answer was probably lost. Check the terminal before trying again.";
  }
  return FALLBACK_REASON[row.status];
}

export function AttemptTable({ rows, empty, now }: { rows: AttemptListRow[]; empty: React.ReactNode; now: number }) {
  return (
    <Table label="Pairing attempts" data-testid="attempt-table">
      <caption className="sr-only">Pairing attempts, newest first</caption>
      <THead>
        <tr>
          <TH>When</TH>
          <TH>Who</TH>
          <TH>Environment</TH>
          <TH>Name</TH>
          <TH>Outcome</TH>
          <TH>Reason</TH>
          <TH>Terminal</TH>
        </tr>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={7}>{empty}</EmptyRow> : null}
        {rows.map((a) => (
          <TR key={a.id} data-testid="attempt-row" data-attempt-id={a.id}>
            <TD className="min-w-28">
              <time dateTime={a.createdAt.toISOString()}>{formatDateTime(a.createdAt)}</time>
            </TD>
            <TD className="break-all">{a.createdByEmail ?? <span className="text-slate-600">—</span>}</TD>
            <TD>
              <EnvironmentBadge environment={a.environment} />
            </TD>
            <TD>{a.name}</TD>
            <TD>
              <AttemptStatusBadge status={a.status} />
            </TD>
            <TD>
              <p>{reasonOf(a, now)}</p>
              {a.errorCode ? (
                <p className="mt-1 text-xs text-slate-600">
                  Code: <code className="font-mono">{a.errorCode}</code>
                </p>
              ) : null}
              {a.recoveredAt ? (
                <p className="mt-1 text-xs text-slate-600">Recovered {formatDateTime(a.recoveredAt)}</p>
              ) : null}
            </TD>
            <TD className="whitespace-nowrap">
              {a.terminalRef !== null && a.terminalId ? (
                <Link
                  href={`/terminals/${a.terminalRef}`}
                  className="font-mono font-medium text-brand-700 underline-offset-4 hover:underline"
                >
                  {a.terminalId}
                </Link>
              ) : a.terminalId ? (
                <span className="font-mono">{a.terminalId}</span>
              ) : (
                <span className="text-slate-600">not known</span>
              )}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
