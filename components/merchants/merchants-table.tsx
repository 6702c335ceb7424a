import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { SortableTH, type SortState } from "@/components/ui/sortable-header";
import { EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { MerchantListRow } from "@/lib/merchants/queries";
import type { MerchantStatus } from "@/lib/domain";
import { formatDate, formatDateTime } from "@/lib/format";
import { EditMerchantDialog } from "./edit-merchant-dialog";
import { MerchantStatusDialog } from "./merchant-status-dialog";

function MerchantStatusBadge({ status }: { status: MerchantStatus }) {
  return (
    <Badge tone={status === "active" ? "success" : "danger"} data-status={status}>
      {status}
    </Badge>
  );
}

/**
 * Every merchant, by name; its counts link to its terminals and users (the switcher's view). In a
 * narrow card the rows stack: the name and the status first, then the reference, the counts, the
 * date added and the buttons.
 */
export function MerchantsTable({
  rows,
  empty,
  sort,
}: {
  rows: MerchantListRow[];
  empty: React.ReactNode;
  /** The list's sort and each sortable header's link. */
  sort: SortState & { hrefFor: (column: "name" | "added") => string };
}) {
  return (
    <Table label="Merchants" data-testid="merchants-table" stack>
      <caption className="sr-only">Merchants</caption>
      <THead>
        <TR>
          <SortableTH label="Name" column="name" sort={sort} href={sort.hrefFor("name")} />
          <TH>External reference</TH>
          <TH>Status</TH>
          <TH className="text-right">Terminals</TH>
          <TH className="text-right">Users</TH>
          <SortableTH label="Created" column="added" sort={sort} href={sort.hrefFor("added")} />
          <TH className="relative">
            <span className="sr-only">Actions</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={7}>{empty}</EmptyRow> : null}
        {rows.map((m) => (
          <TR key={m.id} data-testid="merchant-row" data-merchant-id={m.id}>
            <TD data-stack="primary" className="font-medium">
              <span className="block max-w-64 break-words">{m.name}</span>
            </TD>
            <TD data-label="External reference">
              {m.externalRef ? (
                <span className="block max-w-48 overflow-hidden font-mono text-xs [overflow-wrap:anywhere]">{m.externalRef}</span>
              ) : (
                <span className="text-slate-600">—</span>
              )}
            </TD>
            <TD data-stack="aside">
              <MerchantStatusBadge status={m.status} />
            </TD>
            <TD data-stack="inline" data-label="Terminals" className="text-right tabular-nums">
              <Link
                href={`/terminals?merchant=${m.id}`}
                className="text-brand-700 underline-offset-4 hover:underline"
                aria-label={`${m.terminals} terminal${m.terminals === 1 ? "" : "s"} of ${m.name}`}
              >
                {m.terminals}
              </Link>
            </TD>
            <TD data-stack="inline" data-label="Users" className="text-right tabular-nums">
              <Link
                href={`/users?merchant=${m.id}`}
                className="text-brand-700 underline-offset-4 hover:underline"
                aria-label={`${m.users} user${m.users === 1 ? "" : "s"} of ${m.name}`}
              >
                {m.users}
              </Link>
            </TD>
            <TD data-stack="inline" data-label="Added" className="whitespace-nowrap">
              <time dateTime={m.createdAt.toISOString()} title={formatDateTime(m.createdAt)}>
                {formatDate(m.createdAt)}
              </time>
            </TD>
            <TD>
              <div className="flex justify-end gap-2">
                <EditMerchantDialog merchant={{ id: m.id, name: m.name, externalRef: m.externalRef }} />
                <MerchantStatusDialog merchant={{ id: m.id, name: m.name, status: m.status, users: m.users }} />
              </div>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
