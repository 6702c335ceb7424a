import { FilterBar, FilterSearch, FilterSelect } from "@/components/ui/filter-bar";
import type { AuditListParams } from "@/lib/data/audit";

/** Filters of the audit log: by action, and by actor (any part of the email). */
export function AuditFilters({
  params,
  actions,
  actorEmails,
}: {
  params: AuditListParams;
  actions: readonly string[];
  actorEmails: string[];
}) {
  return (
    <FilterBar
      action="/audit"
      label="Filter the audit log"
      values={[params.action, params.actor]}
      active={params.action !== "all" || params.actor !== ""}
    >
      <FilterSelect
        id="audit-action"
        label="Action"
        name="action"
        value={params.action}
        options={[{ value: "all", label: "All actions" }, ...actions.map((a) => ({ value: a, label: a }))]}
      />
      <FilterSearch
        id="audit-actor"
        label="Actor"
        name="actor"
        value={params.actor}
        placeholder="Email, or part of it"
        maxLength={254}
        suggestions={actorEmails}
      />
    </FilterBar>
  );
}
