import { FilterBar } from "@/components/ui/filter-bar";
import { auditList, type AuditListParams } from "@/lib/lists/lists";
import { auditActionLabel } from "@/lib/labels";

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
  const { action, actor } = auditList.defaults;
  return (
    <FilterBar
      action={auditList.pathname}
      label="Filter the audit log"
      defaults={{ action, actor }}
      hidden={{
        ...(params.sort === auditList.defaults.sort ? {} : { sort: params.sort }),
        // The switcher's merchant, for the form without JavaScript (nuqs keeps it otherwise).
        ...(params.merchant ? { merchant: String(params.merchant) } : {}),
      }}
      fields={[
        {
          kind: "select",
          id: "audit-action",
          label: "Action",
          name: "action",
          options: [{ value: "all", label: "All actions" }, ...actions.map((a) => ({ value: a, label: auditActionLabel(a) }))],
        },
        {
          kind: "search",
          id: "audit-actor",
          label: "Actor",
          name: "actor",
          placeholder: "Email, or part of it",
          maxLength: 254,
          suggestions: actorEmails,
        },
      ]}
    />
  );
}
