import { searchField, selectField } from "@/components/lists/fields";
import { ListPage, listAccess, type ListPageProps } from "@/components/lists/list-page";
import { AddUserForm, type MerchantChoice } from "@/components/users/add-user-form";
import { UsersTable } from "@/components/users/users-table";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { pageAccess } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { MERCHANT_ROLES, ROLES, roleLabel, type Role } from "@/lib/domain";
import { userList } from "@/lib/lists/lists";
import { queryMerchantOptions } from "@/lib/merchants/queries";
import { queryUsers } from "@/lib/users/queries";

export const metadata = { title: "Users" };

const STATUS_WORDS: Record<string, string> = { active: "Active", disabled: "Disabled" };

/**
 * Staff admins: every user (or the switcher's merchant's), with their merchant, and any role to
 * add. A merchant admin: their merchant's people, merchant roles only.
 */
export default async function UsersPage({ searchParams }: ListPageProps) {
  const { params: input, user, ctx } = await listAccess(userList, "users:manage", searchParams);
  const list = await queryUsers(ctx, input);
  const params = list.params;
  const isStaff = can(user.role, "merchants:read");
  // The add form offers every merchant, whatever the switcher narrows the list to.
  let merchants: MerchantChoice[] | null = null;
  if (isStaff) {
    const { ctx: everyMerchant } = await pageAccess("merchants:read");
    merchants = await queryMerchantOptions(everyMerchant);
  }
  const preselected = isStaff && params.merchant !== null && merchants?.some((m) => m.id === params.merchant) ? params.merchant : null;
  const roles: readonly Role[] = isStaff ? ROLES : MERCHANT_ROLES;
  return (
    <>
      <ListPage
        list={userList}
        params={params}
        title="Users"
        description={
          isStaff
            ? "Who can sign in to Pairdesk, and what they may do: staff see every merchant, a merchant's people their own. Disabling a user signs them out at once."
            : "Who of your merchant can sign in to Pairdesk, and what they may do. Disabling a user signs them out at once."
        }
        filters={{
          label: "Filter users",
          fields: [
            searchField("user-search", "Email or name", 254),
            selectField("user-role", "Role", "role", [["all", "All roles"], ...roles.map((r) => [r, roleLabel(r)] as const)]),
            selectField("user-status", "Status", "status", [["all", "Active or disabled"], ...Object.entries(STATUS_WORDS)]),
          ],
        }}
        chips={{ role: (v) => roleLabel(v as Role), status: (v) => STATUS_WORDS[v] ?? v }}
        noun={["users", "user"]}
        empty="No users."
        paging={list}
      >
        {(table) => <UsersTable rows={list.rows} currentUserId={user.id} showMerchant={isStaff} {...table} />}
      </ListPage>
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Add a user</CardTitle>
        </CardHeader>
        <CardBody>
          <AddUserForm merchants={merchants} preselectedMerchantId={preselected} />
        </CardBody>
      </Card>
    </>
  );
}
