import { ENVIRONMENT_OPTIONS, FilterBar, FilterSearch, FilterSelect } from "@/components/ui/filter-bar";
import type { TerminalListParams } from "@/lib/data/terminals";

/** Search and filters of the terminal list. */
export function TerminalFilters({ params }: { params: TerminalListParams }) {
  return (
    <FilterBar
      action="/terminals"
      label="Filter terminals"
      values={[params.q, params.environment, params.status]}
      active={params.q !== "" || params.environment !== "all" || params.status !== "all"}
    >
      <FilterSearch id="terminal-search" label="Search" name="q" value={params.q} placeholder="Terminal ID or pairing name" maxLength={100} />
      <FilterSelect id="terminal-environment" label="Environment" name="environment" value={params.environment} options={ENVIRONMENT_OPTIONS} />
      <FilterSelect
        id="terminal-status"
        label="Status"
        name="status"
        value={params.status}
        options={[
          { value: "all", label: "All statuses" },
          { value: "paired", label: "Paired" },
          { value: "unpaired", label: "Unpaired" },
        ]}
      />
    </FilterBar>
  );
}
