import { Plus } from "lucide-react";
import Link from "next/link";
import { TerminalFilters } from "@/components/terminals/terminal-filters";
import { TerminalTable } from "@/components/terminals/terminal-table";
import { Button } from "@/components/ui/button";
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
            <Button asChild>
              <Link href="/terminals/pair">
                <Plus aria-hidden /> Pair terminal
              </Link>
            </Button>
          ) : null
        }
      />
      <TerminalFilters params={list.params} />
      <TerminalTable
        rows={list.rows}
        empty={
          filtered ? (
            <>
              No terminals match these filters.{" "}
              <Link href="/terminals" className="font-medium text-brand-700 underline underline-offset-4">
                Clear filters
              </Link>
            </>
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
