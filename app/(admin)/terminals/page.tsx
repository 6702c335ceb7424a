import { TerminalFilters } from "@/components/terminals/terminal-filters";
import { TerminalTable } from "@/components/terminals/terminal-table";
import { NoMatches } from "@/components/ui/no-matches";
import { PairTerminalLink } from "@/components/terminals/pair-terminal-link";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { requirePageUser } from "@/lib/auth";
import { listTerminals } from "@/lib/data/terminals";
import { can } from "@/lib/permissions";

export const metadata = { title: "Terminals" };

export default async function TerminalsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser("terminals:read");
  const sp = await searchParams;
  const list = await listTerminals({
    q: sp.q,
    environment: sp.environment,
    status: sp.status,
    page: sp.page,
  });
  const { q, environment, status } = list.params;
  const filtered = q !== "" || environment !== "all" || status !== "all";
  const mayPair = can(user.role, "pairing:create");

  return (
    <>
      <PageHeader
        title="Terminals"
        description="Every terminal known to Pairdesk, with the newest of its active pairings."
        actions={
          mayPair ? (
            <PairTerminalLink />
          ) : null
        }
      />
      <TerminalFilters params={list.params} />
      <TerminalTable
        rows={list.rows}
        empty={
          filtered ? (
            <NoMatches noun="terminals" clearHref="/terminals" />
          ) : mayPair ? (
            "No terminals yet. Pair a terminal and it appears here."
          ) : (
            "No terminals yet. Terminals appear here once support or an admin pairs one."
          )
        }
      />
      <Pagination
        pathname="/terminals"
        params={{ q, environment: environment === "all" ? undefined : environment, status: status === "all" ? undefined : status }}
        page={list.page}
        pageSize={list.pageSize}
        total={list.total}
        noun="terminals"
      />
    </>
  );
}
