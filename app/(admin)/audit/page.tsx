import { AuditTable } from "@/components/audit/audit-table";
import { ListPage } from "@/components/lists/list-page";
import { pageAccess } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { AUDIT_ACTIONS } from "@/lib/audit/audit";
import { queryAuditActorEmails, queryAuditLog } from "@/lib/audit/queries";
import { auditActionLabel } from "@/lib/labels";
import { auditList } from "@/lib/lists/lists";

export const metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const input = auditList.load(await searchParams);
  const { user, ctx } = await pageAccess("audit:read", input);
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
          {
            kind: "select",
            id: "audit-action",
            label: "Action",
            name: "action",
            options: [{ value: "all", label: "All actions" }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: auditActionLabel(a) }))],
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
