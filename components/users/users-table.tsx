import { Badge } from "@/components/ui/badge";
import { SortableTH, type SortState } from "@/components/ui/sortable-header";
import { CellFill, EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import type { UserListRow } from "@/lib/users/queries";
import { formatDate, formatDateTime } from "@/lib/format";
import { UserRoleForm } from "./user-role-form";
import { UserStatusDialog } from "./user-status-dialog";

/**
 * The users in the page's scope. `showMerchant` (staff) adds the Merchant column ("Staff" for
 * the integrator's own people); a merchant's people never see it (they see their own merchant only).
 * It fits a 1280 px card: the name under the email, the date added under the status, and the
 * email cut to the room left (the whole on hover). In a narrow card the rows stack: the email
 * and the Disable button on the first line, then the merchant, the role and the status.
 */
type Column = "merchant" | "email" | "added";

export function UsersTable({
  rows,
  currentUserId,
  showMerchant,
  empty,
  sort,
}: {
  rows: UserListRow[];
  currentUserId: number;
  showMerchant: boolean;
  empty: React.ReactNode;
  /** The list's sort and each sortable header's link. */
  sort: SortState & { hrefFor: (column: Column) => string };
}) {
  const columns = showMerchant ? 5 : 4;
  const sortable = (label: string, column: Column, className?: string) => (
    <SortableTH label={label} column={column} sort={sort} href={sort.hrefFor(column)} className={className} />
  );
  return (
    <Table label="Users" data-testid="users-table" stack>
      <caption className="sr-only">Users</caption>
      <THead>
        <TR>
          {sortable("Email · name", "email")}
          {showMerchant ? sortable("Merchant", "merchant") : null}
          <TH>Role</TH>
          {sortable("Status · added", "added", "whitespace-nowrap")}
          <TH className="relative">
            <span className="sr-only">Actions</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={columns}>{empty}</EmptyRow> : null}
        {rows.map((u) => {
          const isSelf = u.id === currentUserId;
          return (
            <TR key={u.id} data-testid="user-row" data-email={u.email}>
              <TD data-stack="primary" className="w-full min-w-48">
                <CellFill>
                  <Truncate text={u.email} className="max-w-full font-medium" />
                  <span className="flex min-w-0 gap-1 text-xs text-slate-600">
                    {u.name ? <Truncate text={u.name} className="max-w-full" /> : null}
                    {isSelf ? <span>(you)</span> : null}
                  </span>
                </CellFill>
              </TD>
              {showMerchant ? (
                <TD data-testid="user-merchant" data-label="Merchant">
                  {u.merchantName ? (
                    <Truncate text={u.merchantName} className="max-w-[10rem]" />
                  ) : (
                    <span className="text-slate-600">Staff</span>
                  )}
                </TD>
              ) : null}
              <TD>
                <UserRoleForm userId={u.id} email={u.email} role={u.role} isSelf={isSelf} />
              </TD>
              <TD data-stack="inline" className="whitespace-nowrap">
                {u.disabledAt ? (
                  <Badge tone="danger" title={`Disabled ${formatDateTime(u.disabledAt)}`}>
                    disabled
                  </Badge>
                ) : (
                  <Badge tone="success">active</Badge>
                )}
                <span className="mt-1 block text-xs text-slate-600">
                  added{" "}
                  <time dateTime={u.createdAt.toISOString()} title={formatDateTime(u.createdAt)}>
                    {formatDate(u.createdAt)}
                  </time>
                </span>
              </TD>
              <TD data-stack="aside" className="text-right">
                {isSelf ? null : <UserStatusDialog userId={u.id} email={u.email} disabled={u.disabledAt !== null} />}
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
