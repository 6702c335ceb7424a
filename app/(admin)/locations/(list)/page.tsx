import { AddLocationDialog, type LocationMerchantChoice } from "@/components/locations/add-location-dialog";
import { LocationsTable } from "@/components/locations/locations-table";
import { searchField, selectField } from "@/components/lists/fields";
import { ListPage, listAccess, type ListPageProps } from "@/components/lists/list-page";
import { pageAccess } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { isMerchantRole } from "@/lib/domain";
import { locationList } from "@/lib/lists/lists";
import { queryMerchantOptions } from "@/lib/merchants/queries";
import { queryLocations } from "@/lib/registers/location-queries";
import { timeZones } from "@/lib/registers/schemas";

export const metadata = { title: "Locations" };

const ARCHIVED_WORDS: Record<string, string> = { no: "Current locations", yes: "Archived locations" };

export default async function LocationsPage({ searchParams }: ListPageProps) {
  const { params: input, user, ctx } = await listAccess(locationList, "registers:read", searchParams);
  const list = await queryLocations(ctx, input);
  const params = list.params;
  const mayManage = can(user.role, "registers:manage");
  const merchant = mayManage ? await merchantChoice(user, params.merchant) : null;
  // The switcher's merchant, kept on links (staff only: a merchant's people have no switcher).
  const viewed = isMerchantRole(user.role) ? null : params.merchant;
  return (
    <ListPage
      list={locationList}
      params={params}
      title="Locations"
      description="A merchant's shops and sites. Each holds registers, which route to the merchant's paired terminals."
      actions={merchant ? <AddLocationDialog merchant={merchant} timeZones={timeZones()} viewed={viewed} /> : null}
      filters={{
        label: "Filter locations",
        fields: [
          searchField("location-search", "Location name", 100),
          selectField("location-archived", "Archived", "archived", Object.entries(ARCHIVED_WORDS)),
        ],
      }}
      chips={{ archived: (v) => ARCHIVED_WORDS[v] ?? v }}
      exportPath="/api/locations/export"
      noun={["locations", "location"]}
      empty={
        mayManage
          ? "No locations yet. Press Add location to create the first shop, then add its registers on its page."
          : "No locations yet. They appear here once an admin adds one."
      }
      paging={list}
    >
      {({ empty }) => <LocationsTable rows={list.rows} showMerchant={ctx.scope.kind === "all"} merchant={viewed} empty={empty} />}
    </ListPage>
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
  const active = (await queryMerchantOptions(ctx))
    .filter((m) => m.status === "active")
    .map((m) => ({ id: m.id, name: m.name }));
  const preselected = active.find((m) => m.id === viewed)?.id ?? (active.length === 1 ? active[0]!.id : null);
  return { kind: "choose", options: active, preselected };
}
