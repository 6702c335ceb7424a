import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { ListToolbar } from "@/components/ui/filter-chips";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { AUDIT_ACTIONS } from "@/lib/audit/audit";
import { pageAccess } from "@/lib/auth/access";
import { queryAuditActorEmails, queryAuditLog } from "@/lib/audit/queries";
import { auditList } from "@/lib/lists/lists";
import { auditActionLabel } from "@/lib/labels";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Audit log" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const input = auditList.load(await searchParams);
  const { user, ctx } = await pageAccess("audit:read", input);
  const list = queryAuditLog(ctx, input);
  const actorEmails = queryAuditActorEmails(ctx);
  const params = list.params;

  return (
    <>
      <PageHeader title="Audit log" description="Who did what, and when. Newest first; hover a time for the exact time in UTC." />
      <AuditFilters params={params} actions={AUDIT_ACTIONS} actorEmails={actorEmails} />
      <ListToolbar
        chips={auditList.chips(params, { action: auditActionLabel })}
        clearHref={auditList.clearHref(params)}
        exportHref={`/api/audit/export${auditList.search(params, { page: 1 })}`}
      />
      <AuditTable
        rows={list.rows}
        now={list.readAt}
        showMerchant={ctx.scope.kind === "all"}
        canSeeUsers={can(user.role, "users:manage")}
        sort={{ ...auditList.sortOf(params), hrefFor: (column) => auditList.sortHref(params, column) }}
        empty={
          auditList.isFiltered(params) ? (
            <NoMatches noun="entries" clearHref={auditList.clearHref(params)} />
          ) : (
            "The audit log is empty."
          )
        }
      />
      <Pagination
        hrefFor={(p) => auditList.pageHref(params, p)}
        page={list.page}
        pageSize={list.pageSize}
        total={list.total}
        noun="entries"
        singular="entry"
      />
    </>
  );
}
