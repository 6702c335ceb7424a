import { FilterBar } from "@/components/ui/filter-bar";
import { locationList, type LocationListParams } from "@/lib/lists/lists";

/** Search and the archived filter of the location list. */
export function LocationFilters({ params }: { params: LocationListParams }) {
  const { q, archived } = locationList.defaults;
  return (
    <FilterBar
      action={locationList.pathname}
      label="Filter locations"
      defaults={{ q, archived }}
      hidden={params.merchant ? { merchant: String(params.merchant) } : {}}
      fields={[
        { kind: "search", id: "location-search", label: "Search", name: "q", placeholder: "Location name", maxLength: 100 },
        {
          kind: "select",
          id: "location-archived",
          label: "Archived",
          name: "archived",
          options: [
            { value: "no", label: "Current locations" },
            { value: "yes", label: "Archived locations" },
          ],
        },
      ]}
    />
  );
}
