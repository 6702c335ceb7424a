import { AddUserForm } from "@/components/users/add-user-form";
import { UsersTable } from "@/components/users/users-table";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth";
import { listUsers } from "@/lib/data/users";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requirePageUser("users:manage");
  const rows = await listUsers();
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
