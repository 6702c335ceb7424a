import { Plus, Upload } from "lucide-react";
import Link from "next/link";
import { searchField, selectField } from "@/components/lists/fields";
import { ListPage, listAccess, type ListPageProps } from "@/components/lists/list-page";
import { RegisterTree } from "@/components/registers/register-tree";
import { treeRow } from "@/components/registers/tree-row";
import { buttonVariants } from "@/components/ui/button";
import { can } from "@/lib/auth/permissions";
import { ENVIRONMENT_OPTIONS, environmentLabel } from "@/lib/labels";
import { registerList } from "@/lib/lists/lists";
import { withMerchant } from "@/lib/lists/merchant-links";
import { queryRegisters } from "@/lib/registers/queries";

export const metadata = { title: "Registers" };

const ROUTE_WORDS: Record<string, string> = { routed: "Routed", unrouted: "Unrouted" };

export default async function RegistersPage({ searchParams }: ListPageProps) {
  const { params: input, user, ctx } = await listAccess(registerList, "registers:read", searchParams);
  const list = await queryRegisters(ctx, input);
  const params = list.params;
  const mayManage = can(user.role, "registers:manage");
  const showMerchant = ctx.scope.kind === "all";
  const locationsHref = withMerchant("/locations", params.merchant);
  return (
    <ListPage
      list={registerList}
      params={params}
      title="Registers"
      description="Each location's registers and virtual registers, and the terminal each one sends its payments to."
      actions={
        mayManage ? (
          <>
            <Link href={withMerchant("/registers/import", params.merchant)} className={buttonVariants({ variant: "secondary" })}>
              <Upload aria-hidden />
              Import CSV
            </Link>
            <Link href={locationsHref} className={buttonVariants()} data-testid="add-register">
              <Plus aria-hidden />
              Add a register
            </Link>
          </>
        ) : null
      }
      filters={{
        label: "Filter registers",
        fields: [
          searchField("register-search", "Name, register ID, external reference or terminal ID", 100),
          // Staff looking at every merchant: locations of different merchants may share a name.
          selectField("register-location", "Location", "location", [
            ["0", "All locations"],
            ...list.locations.map((l) => [String(l.id), showMerchant ? `${l.name} (${l.merchantName})` : l.name] as const),
          ]),
          selectField("register-environment", "Environment", "environment", ENVIRONMENT_OPTIONS),
          selectField("register-route", "Route", "route", [["all", "Routed or not"], ...Object.entries(ROUTE_WORDS)]),
        ],
      }}
      chips={{
        location: (v) => list.locations.find((l) => String(l.id) === v)?.name ?? `#${v}`,
        environment: environmentLabel,
        route: (v) => ROUTE_WORDS[v] ?? v,
      }}
      exportPath="/api/registers/export"
      noun={["registers", "register"]}
      empty={
        mayManage ? (
          <>
            No registers yet: add a location, then its registers, on the{" "}
            <Link href={locationsHref} className="font-medium text-brand-700 underline underline-offset-4">
              Locations
            </Link>{" "}
            page.
          </>
        ) : (
          "No registers yet. They appear here once an admin adds them to a location."
        )
      }
      paging={list}
    >
      {({ empty }) => <RegisterTree rows={list.rows.map(treeRow)} showMerchant={showMerchant} merchant={params.merchant} empty={empty} />}
    </ListPage>
  );
}
