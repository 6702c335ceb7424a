import { searchField, selectField } from "@/components/lists/fields";
import { ListPage, type ListPageProps } from "@/components/lists/list-page";
import { AddMerchantForm } from "@/components/merchants/add-merchant-form";
import { MerchantsTable } from "@/components/merchants/merchants-table";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { pageAccess } from "@/lib/auth/access";
import { merchantList } from "@/lib/lists/lists";
import { queryMerchants } from "@/lib/merchants/queries";

export const metadata = { title: "Merchants" };

const STATUS_WORDS: Record<string, string> = { active: "Active", suspended: "Suspended" };

/** Staff admins only: every merchant, to add, rename, suspend and reactivate (the switcher's choice does not narrow it). */
export default async function MerchantsPage({ searchParams }: ListPageProps) {
  const input = merchantList.load(await searchParams);
  const { ctx } = await pageAccess("merchants:manage");
  const list = await queryMerchants(ctx, input);
  return (
    <>
      <ListPage
        list={merchantList}
        params={list.params}
        title="Merchants"
        description="The businesses whose terminals Pairdesk pairs. Suspending a merchant signs its people out and stops pairings into it; its data stays."
        filters={{
          label: "Filter merchants",
          fields: [
            searchField("merchant-search", "Name or external reference", 100),
            selectField("merchant-status", "Status", "status", [["all", "Active or suspended"], ...Object.entries(STATUS_WORDS)]),
          ],
        }}
        chips={{ status: (v) => STATUS_WORDS[v] ?? v }}
        noun={["merchants", "merchant"]}
        empty="No merchants yet: add the first one below."
        paging={list}
      >
        {(table) => <MerchantsTable rows={list.rows} {...table} />}
      </ListPage>
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Add a merchant</CardTitle>
        </CardHeader>
        <CardBody>
          <AddMerchantForm />
        </CardBody>
      </Card>
    </>
  );
}
