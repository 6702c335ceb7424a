import Link from "next/link";
import { EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { AuditListRow } from "@/lib/data/audit";
import { formatDateTime } from "@/lib/format";

function Target({ row }: { row: AuditListRow }) {
  if (!row.targetType) return <span className="text-slate-600">—</span>;
  const label = `${row.targetType.replace(/_/g, " ")} ${row.targetId ?? ""}`.trim();
  if (row.targetTerminalRef !== null) {
    return (
      <Link
        href={`/terminals/${row.targetTerminalRef}`}
        className="font-medium text-brand-700 underline-offset-4 hover:underline"
      >
        {label}
      </Link>
    );
  }
  return <span>{label}</span>;
}

export function AuditTable({ rows, empty }: { rows: AuditListRow[]; empty: React.ReactNode }) {
  return (
    <Table label="Audit log entries" data-testid="audit-table">
      <caption className="sr-only">Audit log, newest first</caption>
      <THead>
        <tr>
          <TH>Time</TH>
          <TH>Actor</TH>
          <TH>Action</TH>
          <TH>Target</TH>
          <TH>Details</TH>
        </tr>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={5}>{empty}</EmptyRow> : null}
        {rows.map((row) => (
          <TR key={row.id} data-testid="audit-row" data-action={row.action}>
            <TD className="min-w-28">
              <time dateTime={row.at.toISOString()}>{formatDateTime(row.at)}</time>
            </TD>
            <TD className="break-all">{row.actorEmail ?? <span className="text-slate-600">system</span>}</TD>
            <TD>
              <code className="font-mono text-xs">{row.action}</code>
            </TD>
            <TD className="whitespace-nowrap">
              <Target row={row} />
            </TD>
            <TD>
              {row.details.length === 0 ? (
                <span className="text-slate-600">—</span>
              ) : (
                <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5 text-xs">
                  {row.details.map(([key, value]) => (
                    <div key={key} className="contents">
                      <dt className="font-medium text-slate-700">{key}:</dt>
                      <dd className="break-all">{value}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
