import { AttemptFilters } from "@/components/attempts/attempt-filters";
import { AttemptTable } from "@/components/attempts/attempt-table";
import { ListToolbar } from "@/components/ui/filter-chips";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { pageAccess } from "@/lib/auth/access";
import { queryAttempts } from "@/lib/pairing/attempt-queries";
import type { AttemptStatus } from "@/lib/domain";
import { attemptList } from "@/lib/lists/lists";
import { ATTEMPT_STATUS_LABELS, environmentLabel } from "@/lib/labels";

export const metadata = { title: "Pairing attempts" };

export default async function AttemptsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const input = attemptList.load(await searchParams);
  const { ctx } = await pageAccess("attempts:read", input);
  const list = queryAttempts(ctx, input);
  const params = list.params;

  return (
    <>
      <PageHeader
        title="Pairing attempts"
        description="Every try to pair a terminal, whatever its outcome, newest first. When a merchant says “it didn't work”, the reason is here."
      />
      <AttemptFilters params={params} />
      <ListToolbar
        chips={attemptList.chips(params, {
          status: (v) => ATTEMPT_STATUS_LABELS[v as AttemptStatus] ?? v,
          environment: environmentLabel,
        })}
        clearHref={attemptList.clearHref(params)}
        exportHref={`/api/attempts/export${attemptList.search(params, { page: 1 })}`}
      />
      <AttemptTable
        rows={list.rows}
        now={list.readAt}
        showMerchant={ctx.scope.kind === "all"}
        sort={{ ...attemptList.sortOf(params), hrefFor: (column) => attemptList.sortHref(params, column) }}
        empty={
          attemptList.isFiltered(params) ? (
            <NoMatches noun="attempts" clearHref={attemptList.clearHref(params)} />
          ) : (
            "No pairing attempts yet."
          )
        }
      />
      <Pagination
        hrefFor={(p) => attemptList.pageHref(params, p)}
        page={list.page}
        pageSize={list.pageSize}
        total={list.total}
        noun="attempts"
        singular="attempt"
      />
    </>
  );
}
