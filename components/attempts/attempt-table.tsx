import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { SortableTH, type SortState } from "@/components/ui/sortable-header";
import { AttemptStatusBadge, EnvironmentBadge } from "@/components/ui/status-badges";
import { EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { LongText, Truncate } from "@/components/ui/truncate";
import type { AttemptListRow } from "@/lib/data/attempts";
import { formatDateTime } from "@/lib/format";

type Column = "created_at" | "status";

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

export function AttemptTable({
  rows,
  empty,
  now,
  sort,
  showMerchant = false,
}: {
  rows: AttemptListRow[];
  empty: React.ReactNode;
  now: number;
  /** A "Merchant" column: staff looking at every merchant. */
  showMerchant?: boolean;
  /** The list's sort and each sortable header's link; without it (the dashboard) headers are plain. */
  sort?: SortState & { hrefFor: (column: Column) => string };
}) {
  const header = (label: string, column: Column) =>
    sort ? <SortableTH label={label} column={column} sort={sort} href={sort.hrefFor(column)} /> : <TH>{label}</TH>;
  return (
    <Table label="Pairing attempts" data-testid="attempt-table">
      <caption className="sr-only">Pairing attempts, newest first</caption>
      <THead>
        <tr>
          {header("When", "created_at")}
          <TH>Who</TH>
          {showMerchant ? <TH>Merchant</TH> : null}
          <TH>Environment</TH>
          <TH>Name</TH>
          {header("Outcome", "status")}
          <TH>Reason</TH>
          <TH>Terminal</TH>
        </tr>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={showMerchant ? 8 : 7}>{empty}</EmptyRow> : null}
        {rows.map((a) => (
          <TR key={a.id} data-testid="attempt-row" data-attempt-id={a.id}>
            <TD className="min-w-28">
              <RelativeTime value={a.createdAt} now={now} />
            </TD>
            <TD>{a.createdByEmail ? <Truncate text={a.createdByEmail} className="max-w-[12rem]" /> : <span className="text-slate-600">—</span>}</TD>
            {showMerchant ? (
              <TD data-testid="merchant-cell">
                <Truncate text={a.merchantName} className="max-w-[12rem]" />
              </TD>
            ) : null}
            <TD>
              <EnvironmentBadge environment={a.environment} />
            </TD>
            <TD>
              <Truncate text={a.name} className="max-w-[12rem]" />
            </TD>
            <TD>
              <span className="inline-flex flex-wrap items-center gap-1">
                <AttemptStatusBadge status={a.status} />
                {a.warning ? (
                  <Badge tone="warning" data-testid="attempt-check">
                    check
                  </Badge>
                ) : null}
              </span>
            </TD>
            <TD className="min-w-56 max-w-md">
              {a.warning ? (
                <p className="mb-1 font-medium text-amber-900" data-testid="attempt-warning">
                  {a.warning}
                </p>
              ) : null}
              <LongText text={reasonOf(a, now)} />
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
