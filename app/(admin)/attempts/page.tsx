import { AttemptFilters } from "@/components/attempts/attempt-filters";
import { AttemptTable } from "@/components/attempts/attempt-table";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { requirePageUser } from "@/lib/auth";
import { listAttempts } from "@/lib/data/attempts";

export const metadata = { title: "Pairing attempts" };

export default async function AttemptsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageUser("attempts:read");
  const sp = await searchParams;
  const list = await listAttempts({ q: sp.q, status: sp.status, environment: sp.environment, page: sp.page });
  const { q, status, environment } = list.params;
  const filtered = q !== "" || status !== "all" || environment !== "all";

  return (
    <>
      <PageHeader
        title="Pairing attempts"
        description="Every try to pair a terminal, whatever its outcome, newest first. When a merchant says “it didn't work”, the reason is here."
      />
      <AttemptFilters params={list.params} />
      <AttemptTable
        rows={list.rows}
        now={list.readAt}
        empty={
          filtered ? (
            <NoMatches noun="attempts" clearHref="/attempts" />
          ) : (
            "No pairing attempts yet."
          )
        }
      />
      <Pagination
        pathname="/attempts"
        params={{
          q,
          status: status === "all" ? undefined : status,
          environment: environment === "all" ? undefined : environment,
        }}
        page={list.page}
        pageSize={list.pageSize}
        total={list.total}
        noun="attempts"
      />
    </>
  );
}
