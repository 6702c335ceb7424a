import { AuditTable } from "@/components/audit/audit-table";
import { searchField, selectField } from "@/components/lists/fields";
import { ListPage, listAccess, type ListPageProps } from "@/components/lists/list-page";
import { can } from "@/lib/auth/permissions";
import { AUDIT_ACTIONS } from "@/lib/audit/audit";
import { queryAuditActorEmails, queryAuditLog } from "@/lib/audit/queries";
import { auditActionLabel } from "@/lib/labels";
import { auditList } from "@/lib/lists/lists";

export const metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: ListPageProps) {
  const { params: input, user, ctx } = await listAccess(auditList, "audit:read", searchParams);
  const list = await queryAuditLog(ctx, input);
  const actorEmails = await queryAuditActorEmails(ctx);
  return (
    <ListPage
      list={auditList}
      params={list.params}
      title="Audit log"
      description="Who did what, and when. Newest first; hover a time for the exact time in UTC."
      filters={{
        label: "Filter the audit log",
        fields: [
          selectField("audit-action", "Action", "action", [["all", "All actions"], ...AUDIT_ACTIONS.map((a) => [a, auditActionLabel(a)] as const)]),
          searchField("audit-actor", "Email, or part of it", 254, { name: "actor", label: "Actor", suggestions: actorEmails }),
        ],
      }}
      chips={{ action: auditActionLabel }}
      exportPath="/api/audit/export"
      noun={["entries", "entry"]}
      empty="The audit log is empty."
      paging={list}
    >
      {(table) => (
        <AuditTable rows={list.rows} now={list.readAt} showMerchant={ctx.scope.kind === "all"} canSeeUsers={can(user.role, "users:manage")} {...table} />
      )}
    </ListPage>
  );
}
