import { FilterBar } from "@/components/ui/filter-bar";
import { ENVIRONMENT_OPTIONS } from "@/lib/labels";
import { registerList, type RegisterListParams } from "@/lib/lists/lists";

export const ROUTE_OPTIONS = [
  { value: "all", label: "Routed or not" },
  { value: "routed", label: "Routed" },
  { value: "unrouted", label: "Unrouted" },
] as const;

/** Search and filters of the registers tree, all in the URL. */
export function RegisterFilters({
  params,
  locations,
  showMerchant,
}: {
  params: RegisterListParams;
  locations: { id: number; name: string; merchantName: string }[];
  /** Staff looking at every merchant: locations of different merchants may share a name. */
  showMerchant: boolean;
}) {
  const { q, environment, route } = registerList.defaults;
  return (
    <FilterBar
      action={registerList.pathname}
      label="Filter registers"
      defaults={{ q, location: "", environment, route }}
      hidden={params.merchant ? { merchant: String(params.merchant) } : {}}
      fields={[
        {
          kind: "search",
          id: "register-search",
          label: "Search",
          name: "q",
          placeholder: "Name, register ID, external reference or terminal ID",
          maxLength: 100,
        },
        {
          kind: "select",
          id: "register-location",
          label: "Location",
          name: "location",
          options: [
            { value: "", label: "All locations" },
            ...locations.map((l) => ({ value: String(l.id), label: showMerchant ? `${l.name} (${l.merchantName})` : l.name })),
          ],
        },
        { kind: "select", id: "register-environment", label: "Environment", name: "environment", options: ENVIRONMENT_OPTIONS },
        { kind: "select", id: "register-route", label: "Route", name: "route", options: ROUTE_OPTIONS },
      ]}
    />
  );
}
