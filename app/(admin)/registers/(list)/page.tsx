import { Plus, Upload } from "lucide-react";
import Link from "next/link";
import { RegisterFilters } from "@/components/registers/register-filters";
import { RegisterTree } from "@/components/registers/register-tree";
import { buttonVariants } from "@/components/ui/button";
import { ListToolbar } from "@/components/ui/filter-chips";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { pageAccess } from "@/lib/auth/access";
import { queryRegisters } from "@/lib/registers/queries";
import { registerList } from "@/lib/lists/lists";
import { environmentLabel } from "@/lib/labels";
import { withMerchant } from "@/lib/lists/merchant-links";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Registers" };

const ROUTE_WORDS: Record<string, string> = { routed: "Routed", unrouted: "Unrouted" };

export default async function RegistersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const input = registerList.load(await searchParams);
  const { user, ctx } = await pageAccess("registers:read", input);
  const list = queryRegisters(ctx, input);
  const params = list.params;
  const mayManage = can(user.role, "registers:manage");
  const showMerchant = ctx.scope.kind === "all";
  const locationsHref = withMerchant("/locations", params.merchant);
  const locationName = (v: string) => list.locations.find((l) => String(l.id) === v)?.name ?? `#${v}`;

  return (
    <>
      <PageHeader
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
      />
      <RegisterFilters params={params} locations={list.locations} showMerchant={showMerchant} />
      <ListToolbar
        chips={registerList.chips(params, {
          location: locationName,
          environment: environmentLabel,
          route: (v) => ROUTE_WORDS[v] ?? v,
        })}
        clearHref={registerList.clearHref(params)}
        exportHref={`/api/registers/export${registerList.search(params, { page: 1 })}`}
      />
      <RegisterTree
        rows={list.rows}
        showMerchant={showMerchant}
        merchant={params.merchant}
        empty={
          registerList.isFiltered(params) ? (
            <NoMatches noun="registers" clearHref={registerList.clearHref(params)} />
          ) : mayManage ? (
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
      />
      <Pagination
        hrefFor={(p) => registerList.pageHref(params, p)}
        page={list.page}
        pageSize={list.pageSize}
        total={list.total}
        noun="registers"
        singular="register"
      />
    </>
  );
}
