import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { AUDIT_ACTIONS } from "@/lib/audit";
import { requirePageUser } from "@/lib/auth";
import { listAuditActorEmails, listAuditLog } from "@/lib/data/audit";

export const metadata = { title: "Audit log" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageUser("audit:read");
  const sp = await searchParams;
  const [list, actorEmails] = await Promise.all([
    listAuditLog({ action: sp.action, actor: sp.actor, page: sp.page }),
    listAuditActorEmails(),
  ]);
  const { action, actor } = list.params;
  const filtered = action !== "all" || actor !== "";

  return (
    <>
      <PageHeader title="Audit log" description="Who did what, and when. Newest first; times in UTC." />
      <AuditFilters params={list.params} actions={AUDIT_ACTIONS} actorEmails={actorEmails} />
      <AuditTable
        rows={list.rows}
        empty={
          filtered ? (
            <NoMatches noun="entries" clearHref="/audit" />
          ) : (
            "The audit log is empty."
          )
        }
      />
      <Pagination
        pathname="/audit"
        params={{ action: action === "all" ? undefined : action, actor }}
        page={list.page}
        pageSize={list.pageSize}
        total={list.total}
        noun="entries"
      />
    </>
  );
}
