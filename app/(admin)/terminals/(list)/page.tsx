import { TerminalFilters } from "@/components/terminals/terminal-filters";
import { TerminalTable } from "@/components/terminals/terminal-table";
import { PairTerminalLink } from "@/components/terminals/pair-terminal-link";
import { ListToolbar } from "@/components/ui/filter-chips";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { pageAccess } from "@/lib/auth/access";
import { queryTerminals } from "@/lib/pairing/terminal-queries";
import { terminalList } from "@/lib/lists/lists";
import { environmentLabel } from "@/lib/labels";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Terminals" };

const STATUS_WORDS: Record<string, string> = { paired: "Paired", unpaired: "Unpaired" };

export default async function TerminalsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const input = terminalList.load(await searchParams);
  const { user, ctx } = await pageAccess("terminals:read", input);
  const list = queryTerminals(ctx, input);
  const params = list.params;
  const mayPair = can(user.role, "pairing:create");
  const sort = terminalList.sortOf(params);

  return (
    <>
      <PageHeader
        title="Terminals"
        description="Every terminal known to Pairdesk, with its active pairing (Pay-Connect keeps one per terminal) and the registers that route to it."
        actions={mayPair ? <PairTerminalLink /> : null}
      />
      <TerminalFilters params={params} />
      <ListToolbar
        chips={terminalList.chips(params, {
          environment: environmentLabel,
          status: (v) => STATUS_WORDS[v] ?? v,
        })}
        clearHref={terminalList.clearHref(params)}
        exportHref={`/api/terminals/export${terminalList.search(params, { page: 1 })}`}
      />
      <TerminalTable
        rows={list.rows}
        now={list.readAt}
        showMerchant={ctx.scope.kind === "all"}
        sort={{ ...sort, hrefFor: (column) => terminalList.sortHref(params, column) }}
        empty={
          terminalList.isFiltered(params) ? (
            <NoMatches noun="terminals" clearHref={terminalList.clearHref(params)} />
          ) : mayPair ? (
            "No terminals yet. Pair a terminal and it appears here."
          ) : (
            "No terminals yet. Terminals appear here once support or an admin pairs one."
          )
        }
      />
      <Pagination
        hrefFor={(p) => terminalList.pageHref(params, p)}
        page={list.page}
        pageSize={list.pageSize}
        total={list.total}
        noun="terminals"
        singular="terminal"
      />
    </>
  );
}
