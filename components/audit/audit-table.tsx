import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { SortableTH, type SortState } from "@/components/ui/sortable-header";
import { CellFill, EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import type { AuditListRow } from "@/lib/audit/queries";
import { auditActionLabel } from "@/lib/labels";

type Column = "at" | "action";

const linkClass = "font-medium text-brand-700 underline-offset-4 hover:underline";

/** The target in words, a link to it where it still exists and the reader may open it. */
function Target({ row, canSeeUsers }: { row: AuditListRow; canSeeUsers: boolean }) {
  const target = row.target;
  if (!target) return <span className="text-slate-600">—</span>;
  const href =
    target.href !== null
      ? target.href
      : target.terminalRef !== null
      ? `/terminals/${target.terminalRef}`
      : target.userExists && canSeeUsers
        ? "/users"
        : null;
  const text = <Truncate text={target.label} className="max-w-[12rem]" />;
  return href ? (
    <Link href={href} className={linkClass} data-target-type={target.type}>
      {text}
    </Link>
  ) : (
    <span data-target-type={target.type}>{text}</span>
  );
}

/**
 * The audit log. Four columns fit a 1280 px card: the time (with the actor and, for staff, the
 * merchant under it), the action, the target and the details, each value cut to the room left
 * (the whole on hover). In a narrow card the rows stack: the action and the time on the first
 * line, then the target, the actor and the details.
 */
export function AuditTable({
  rows,
  empty,
  now,
  sort,
  canSeeUsers,
  showMerchant = false,
}: {
  rows: AuditListRow[];
  empty: React.ReactNode;
  now: number;
  sort: SortState & { hrefFor: (column: Column) => string };
  /** Whether user targets link to the users page (admins only). */
  canSeeUsers: boolean;
  /** The merchant under the actor ("Staff only" for entries of none): staff looking at every merchant. */
  showMerchant?: boolean;
}) {
  return (
    <Table label="Audit log entries" data-testid="audit-table" stack>
      <caption className="sr-only">Audit log</caption>
      <THead>
        <TR>
          <SortableTH label="Time" column="at" sort={sort} href={sort.hrefFor("at")} />
          <SortableTH label="Action" column="action" sort={sort} href={sort.hrefFor("action")} />
          <TH>Target</TH>
          <TH>{showMerchant ? "Actor · merchant" : "Actor"}</TH>
          <TH>Details</TH>
        </TR>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={5}>{empty}</EmptyRow> : null}
        {rows.map((row) => (
          <TR key={row.id} data-testid="audit-row" data-action={row.action}>
            <TD data-stack="aside" className="whitespace-nowrap">
              <RelativeTime value={row.at} now={now} />
            </TD>
            <TD data-stack="primary" className="w-44 min-w-44 font-medium" title={row.action}>
              {auditActionLabel(row.action)}
            </TD>
            <TD data-label="Target" className="w-52 min-w-52">
              <Target row={row} canSeeUsers={canSeeUsers} />
            </TD>
            <TD data-label="By" className="w-48 min-w-48">
              {row.actorEmail ? (
                <Truncate text={row.actorEmail} className="max-w-[11rem]" />
              ) : (
                <span className="text-slate-600">system</span>
              )}
              {showMerchant ? (
                // Under the actor, not a column of its own: the details stay in view at 1280 px.
                <span data-testid="merchant-cell" className="mt-0.5 block text-xs text-slate-600">
                  {row.merchantName ? (
                    <Truncate text={row.merchantName} className="max-w-[11rem]" />
                  ) : (
                    <span className="whitespace-nowrap">Staff only</span>
                  )}
                </span>
              ) : null}
            </TD>
            <TD className="w-full">
              {row.details.length === 0 ? (
                <span className="text-slate-600">—</span>
              ) : (
                <CellFill>
                  <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2 gap-y-0.5 text-xs">
                    {row.details.map(([key, value]) => (
                      <div key={key} className="contents">
                        <dt className="font-medium text-slate-700">{key}:</dt>
                        <dd className="min-w-0">
                          <Truncate text={value} className="max-w-[16rem]" />
                        </dd>
                      </div>
                    ))}
                  </dl>
                </CellFill>
              )}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
