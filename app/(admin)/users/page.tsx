import { AddUserForm, type MerchantChoice } from "@/components/users/add-user-form";
import { UsersTable } from "@/components/users/users-table";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/auth/access";
import { queryMerchantOptions } from "@/lib/merchants/queries";
import { queryUsers } from "@/lib/users/queries";
import { loadMerchantView } from "@/lib/lists/lists";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Users" };

/**
 * Staff admins: every user (or the switcher's merchant's), with their merchant, and any role to
 * add. A merchant admin: their merchant's people, merchant roles only.
 */
export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const view = loadMerchantView(await searchParams);
  const { user, ctx } = await pageAccess("users:manage", view);
  const rows = queryUsers(ctx);
  const isStaff = can(user.role, "merchants:read");
  // The add form offers every merchant, whatever the switcher narrows the list to.
  let merchants: MerchantChoice[] | null = null;
  if (isStaff) {
    const { ctx: everyMerchant } = await pageAccess("merchants:read");
    merchants = queryMerchantOptions(everyMerchant);
  }
  const preselected = isStaff && view.merchant !== null && merchants?.some((m) => m.id === view.merchant) ? view.merchant : null;
  return (
    <>
      <PageHeader
        title="Users"
        description={
          isStaff
            ? "Who can sign in to Pairdesk, and what they may do: staff see every merchant, a merchant's people their own. Disabling a user signs them out at once."
            : "Who of your merchant can sign in to Pairdesk, and what they may do. Disabling a user signs them out at once."
        }
      />
      <div className="space-y-6">
        <UsersTable rows={rows} currentUserId={user.id} showMerchant={isStaff} />
        <Card>
          <CardHeader>
            <CardTitle>Add a user</CardTitle>
          </CardHeader>
          <CardBody>
            <AddUserForm merchants={merchants} preselectedMerchantId={preselected} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
