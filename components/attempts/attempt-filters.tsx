import { ENVIRONMENT_OPTIONS, FilterBar, FilterSearch, FilterSelect } from "@/components/ui/filter-bar";
import { ATTEMPT_STATUS_LABELS } from "@/components/ui/status-badges";
import type { AttemptListParams } from "@/lib/data/attempts";
import { ATTEMPT_STATUSES } from "@/lib/domain";

/** Search and filters of the attempts list. */
export function AttemptFilters({ params }: { params: AttemptListParams }) {
  return (
    <FilterBar
      action="/attempts"
      label="Filter pairing attempts"
      values={[params.q, params.status, params.environment]}
      active={params.q !== "" || params.status !== "all" || params.environment !== "all"}
    >
      <FilterSearch id="attempt-search" label="Search" name="q" value={params.q} placeholder="Pairing name, terminal ID or email" maxLength={100} />
      <FilterSelect
        id="attempt-status"
        label="Outcome"
        name="status"
        value={params.status}
        options={[{ value: "all", label: "All outcomes" }, ...ATTEMPT_STATUSES.map((s) => ({ value: s, label: ATTEMPT_STATUS_LABELS[s] }))]}
      />
      <FilterSelect id="attempt-environment" label="Environment" name="environment" value={params.environment} options={ENVIRONMENT_OPTIONS} />
    </FilterBar>
  );
}
