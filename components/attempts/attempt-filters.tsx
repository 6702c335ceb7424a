import { FilterBar } from "@/components/ui/filter-bar";
import { ATTEMPT_STATUS_LABELS, ENVIRONMENT_OPTIONS } from "@/lib/labels";
import { ATTEMPT_STATUSES } from "@/lib/domain";
import { attemptList, type AttemptListParams } from "@/lib/lists/lists";

/** Search and filters of the attempts list. */
export function AttemptFilters({ params }: { params: AttemptListParams }) {
  const { q, status, environment } = attemptList.defaults;
  return (
    <FilterBar
      action={attemptList.pathname}
      label="Filter pairing attempts"
      defaults={{ q, status, environment }}
      hidden={{
        ...(params.sort === attemptList.defaults.sort ? {} : { sort: params.sort }),
        // The switcher's merchant, for the form without JavaScript (nuqs keeps it otherwise).
        ...(params.merchant ? { merchant: String(params.merchant) } : {}),
      }}
      fields={[
        { kind: "search", id: "attempt-search", label: "Search", name: "q", placeholder: "Pairing name, terminal ID or email", maxLength: 100 },
        {
          kind: "select",
          id: "attempt-status",
          label: "Outcome",
          name: "status",
          options: [{ value: "all", label: "All outcomes" }, ...ATTEMPT_STATUSES.map((s) => ({ value: s, label: ATTEMPT_STATUS_LABELS[s] }))],
        },
        { kind: "select", id: "attempt-environment", label: "Environment", name: "environment", options: ENVIRONMENT_OPTIONS },
      ]}
    />
  );
}
