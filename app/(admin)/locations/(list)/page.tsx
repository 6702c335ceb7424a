import { AddLocationDialog, type LocationMerchantChoice } from "@/components/locations/add-location-dialog";
import { LocationFilters } from "@/components/locations/location-filters";
import { LocationsTable } from "@/components/locations/locations-table";
import { ListToolbar } from "@/components/ui/filter-chips";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { pageAccess } from "@/lib/auth/access";
import { queryLocations } from "@/lib/registers/location-queries";
import { queryMerchantOptions } from "@/lib/merchants/queries";
import { isMerchantRole } from "@/lib/domain";
import { locationList } from "@/lib/lists/lists";
import { can } from "@/lib/auth/permissions";
import { timeZones } from "@/lib/registers/schemas";

export const metadata = { title: "Locations" };

const ARCHIVED_WORDS: Record<string, string> = { yes: "Archived locations", no: "Current locations" };

export default async function LocationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const input = locationList.load(await searchParams);
  const { user, ctx } = await pageAccess("registers:read", input);
  const list = queryLocations(ctx, input);
  const params = list.params;
  const mayManage = can(user.role, "registers:manage");
  const merchant = mayManage ? await merchantChoice(user, params.merchant) : null;
  const filtered = locationList.isFiltered(params);
  // The switcher's merchant, kept on links (staff only: a merchant's people have no switcher).
  const viewed = isMerchantRole(user.role) ? null : params.merchant;

  return (
    <>
      <PageHeader
        title="Locations"
        description="A merchant's shops and sites. Each holds registers, which route to the merchant's paired terminals."
        actions={merchant ? <AddLocationDialog merchant={merchant} timeZones={timeZones()} viewed={viewed} /> : null}
      />
      <LocationFilters params={params} />
      <ListToolbar
        chips={locationList.chips(params, { archived: (v) => ARCHIVED_WORDS[v] ?? v })}
        clearHref={locationList.clearHref(params)}
        exportHref={`/api/locations/export${locationList.search(params, { page: 1 })}`}
      />
      <LocationsTable
        rows={list.rows}
        showMerchant={ctx.scope.kind === "all"}
        merchant={viewed}
        empty={
          filtered ? (
            <NoMatches noun="locations" clearHref={locationList.clearHref(params)} />
          ) : mayManage ? (
            "No locations yet. Press Add location to create the first shop, then add its registers on its page."
          ) : (
            "No locations yet. They appear here once an admin adds one."
          )
        }
      />
      <Pagination
        hrefFor={(p) => locationList.pageHref(params, p)}
        page={list.page}
        pageSize={list.pageSize}
        total={list.total}
        noun="locations"
        singular="location"
      />
    </>
  );
}

/**
 * Whose location a new one is: a merchant admin's own merchant; staff choose among the active
 * merchants (whatever the switcher narrows the list to), the switcher's merchant or the only
 * one preselected.
 */
async function merchantChoice(
  user: Awaited<ReturnType<typeof pageAccess>>["user"],
  viewed: number | null,
): Promise<LocationMerchantChoice> {
  if (isMerchantRole(user.role)) return { kind: "own", name: user.merchantName ?? "your merchant" };
  const { ctx } = await pageAccess("registers:manage");
  const active = queryMerchantOptions(ctx)
    .filter((m) => m.status === "active")
    .map((m) => ({ id: m.id, name: m.name }));
  const preselected = active.find((m) => m.id === viewed)?.id ?? (active.length === 1 ? active[0]!.id : null);
  return { kind: "choose", options: active, preselected };
}
