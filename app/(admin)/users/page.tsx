import { AddUserForm } from "@/components/users/add-user-form";
import { UsersTable } from "@/components/users/users-table";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/data/access";
import { queryUsers } from "@/lib/data/users";
import { loadMerchantView } from "@/lib/lists/lists";

export const metadata = { title: "Users" };

export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { user, ctx } = await pageAccess("users:manage", loadMerchantView(await searchParams));
  const rows = queryUsers(ctx);
  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in to Pairdesk, and what they may do. Disabling a user signs them out at once."
      />
      <div className="space-y-6">
        <UsersTable rows={rows} currentUserId={user.id} />
        <Card>
          <CardHeader>
            <CardTitle>Add a user</CardTitle>
          </CardHeader>
          <CardBody>
            <AddUserForm />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
