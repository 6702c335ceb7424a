import { Badge } from "@/components/ui/badge";
import { EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { UserListRow } from "@/lib/data/users";
import { formatDate, formatDateTime } from "@/lib/format";
import { UserRoleForm } from "./user-role-form";
import { UserStatusDialog } from "./user-status-dialog";

/**
 * The users in the page's scope. `showMerchant` (staff) adds the Merchant column ("Staff" for
 * the integrator's own people); a merchant's people never see it (they see their own merchant only).
 */
export function UsersTable({
  rows,
  currentUserId,
  showMerchant,
}: {
  rows: UserListRow[];
  currentUserId: number;
  showMerchant: boolean;
}) {
  const columns = showMerchant ? 7 : 6;
  return (
    <Table label="Users" data-testid="users-table">
      <caption className="sr-only">Users</caption>
      <THead>
        <tr>
          <TH>Email</TH>
          <TH>Name</TH>
          {showMerchant ? <TH>Merchant</TH> : null}
          <TH>Role</TH>
          <TH>Status</TH>
          <TH>Created</TH>
          <TH className="relative">
            <span className="sr-only">Actions</span>
          </TH>
        </tr>
      </THead>
      <TBody>
        {rows.length === 0 ? <EmptyRow colSpan={columns}>No users.</EmptyRow> : null}
        {rows.map((u) => {
          const isSelf = u.id === currentUserId;
          return (
            <TR key={u.id} data-testid="user-row" data-email={u.email}>
              <TD className="whitespace-nowrap font-medium">
                {u.email}
                {isSelf ? <span className="ml-2 text-xs font-normal text-slate-600">(you)</span> : null}
              </TD>
              <TD>{u.name || <span className="text-slate-600">—</span>}</TD>
              {showMerchant ? (
                <TD data-testid="user-merchant" className="min-w-36">
                  {u.merchantName ?? <span className="text-slate-600">Staff</span>}
                </TD>
              ) : null}
              <TD>
                <UserRoleForm userId={u.id} email={u.email} role={u.role} isSelf={isSelf} />
              </TD>
              <TD>
                {u.disabledAt ? (
                  <Badge tone="danger" title={`Disabled ${formatDateTime(u.disabledAt)}`}>
                    disabled
                  </Badge>
                ) : (
                  <Badge tone="success">active</Badge>
                )}
              </TD>
              <TD className="whitespace-nowrap">
                <time dateTime={u.createdAt.toISOString()} title={formatDateTime(u.createdAt)}>
                  {formatDate(u.createdAt)}
                </time>
              </TD>
              <TD className="text-right">
                {isSelf ? null : <UserStatusDialog userId={u.id} email={u.email} disabled={u.disabledAt !== null} />}
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
