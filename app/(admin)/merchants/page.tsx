import { AddMerchantForm } from "@/components/merchants/add-merchant-form";
import { MerchantsTable } from "@/components/merchants/merchants-table";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/auth/access";
import { queryMerchants } from "@/lib/merchants/queries";

export const metadata = { title: "Merchants" };

/** Staff admins only: every merchant, to add, rename, suspend and reactivate. */
export default async function MerchantsPage() {
  const { ctx } = await pageAccess("merchants:manage");
  const rows = queryMerchants(ctx);
  return (
    <>
      <PageHeader
        title="Merchants"
        description="The businesses whose terminals Pairdesk pairs. Suspending a merchant signs its people out and stops pairings into it; its data stays."
      />
      <div className="space-y-6">
        <MerchantsTable rows={rows} />
        <Card>
          <CardHeader>
            <CardTitle>Add a merchant</CardTitle>
          </CardHeader>
          <CardBody>
            <AddMerchantForm />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
