import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { SortableTH, type SortState } from "@/components/ui/sortable-header";
import { AttemptStatusBadge, EnvironmentBadge } from "@/components/ui/status-badges";
import { EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { LongText, Truncate } from "@/components/ui/truncate";
import type { AttemptListRow } from "@/lib/pairing/attempt-queries";
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

/**
 * Pairing attempts, newest first (the attempts page, and the dashboard's latest). Four columns
 * fit a 1280 px card: when (and who, under it), the name (with the terminal, its environment and,
 * for staff, the merchant under it), the outcome, and the reason, which takes the room left. In a
 * narrow card the rows stack: the name and the outcome on the first line, then the rest.
 */
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
  /** The merchant under each name (and "merchant" in its header): staff looking at every merchant. */
  showMerchant?: boolean;
  /** The list's sort and each sortable header's link; without it (the dashboard) headers are plain. */
  sort?: SortState & { hrefFor: (column: Column) => string };
}) {
  const header = (label: string, column: Column) =>
    sort ? <SortableTH label={label} column={column} sort={sort} href={sort.hrefFor(column)} /> : <TH>{label}</TH>;
  return (
    <Table label="Pairing attempts" data-testid="attempt-table" stack>
      <caption className="sr-only">Pairing attempts, newest first</caption>
      <THead>
        <TR>
          {header("When", "created_at")}
          <TH>{showMerchant ? "Name · terminal · merchant" : "Name · terminal"}</TH>
          {header("Outcome", "status")}
          <TH>Reason</TH>
        </TR>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={4}>{empty}</EmptyRow> : null}
        {rows.map((a) => (
          <TR key={a.id} data-testid="attempt-row" data-attempt-id={a.id}>
            <TD data-stack="end" className="w-40 min-w-40">
              <RelativeTime value={a.createdAt} now={now} />
              <span className="mt-0.5 flex min-w-0 gap-1 text-xs text-slate-600">
                {a.createdByEmail ? (
                  <>
                    by <Truncate text={a.createdByEmail} className="max-w-[10rem]" />
                  </>
                ) : (
                  "by —"
                )}
              </span>
            </TD>
            <TD data-stack="primary" className="w-64 min-w-64">
              <Truncate text={a.name} className="max-w-[15rem] font-medium" />
              <span className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs font-normal">
                <EnvironmentBadge environment={a.environment} />
                {a.terminalRef !== null && a.terminalId ? (
                  <Link
                    href={`/terminals/${a.terminalRef}`}
                    className="font-mono font-medium text-brand-700 underline-offset-4 [overflow-wrap:anywhere] hover:underline"
                  >
                    {a.terminalId}
                  </Link>
                ) : a.terminalId ? (
                  <span className="font-mono [overflow-wrap:anywhere]">{a.terminalId}</span>
                ) : (
                  <span className="text-slate-600">terminal not known</span>
                )}
              </span>
              {showMerchant ? (
                <span data-testid="merchant-cell" className="mt-1 block text-xs font-normal text-slate-600">
                  <Truncate text={a.merchantName} className="max-w-[15rem]" />
                </span>
              ) : null}
            </TD>
            <TD data-stack="aside" className="w-36 min-w-36">
              <span className="inline-flex flex-wrap items-center justify-end gap-1">
                <AttemptStatusBadge status={a.status} />
                {a.warning ? (
                  <Badge tone="warning" data-testid="attempt-check">
                    check
                  </Badge>
                ) : null}
              </span>
            </TD>
            <TD className="w-full">
              {a.warning ? (
                <p className="mb-1 font-medium text-amber-900" data-testid="attempt-warning">
                  {a.warning}
                </p>
              ) : null}
              <LongText text={reasonOf(a, now)} />
              {a.errorCode ? (
                <p className="mt-1 text-xs text-slate-600 [overflow-wrap:anywhere]">
                  Code: <code className="font-mono">{a.errorCode}</code>
                </p>
              ) : null}
              {a.recoveredAt ? (
                <p className="mt-1 text-xs text-slate-600">Recovered {formatDateTime(a.recoveredAt)}</p>
              ) : null}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
