import { ListPage } from "@/components/lists/list-page";
import { PairTerminalLink } from "@/components/terminals/pair-terminal-link";
import { TerminalTable } from "@/components/terminals/terminal-table";
import { pageAccess } from "@/lib/auth/access";
import { can } from "@/lib/auth/permissions";
import { ENVIRONMENT_OPTIONS, environmentLabel } from "@/lib/labels";
import { terminalList } from "@/lib/lists/lists";
import { queryTerminals } from "@/lib/pairing/terminal-queries";

export const metadata = { title: "Terminals" };

const STATUS_WORDS: Record<string, string> = { paired: "Paired", unpaired: "Unpaired" };

export default async function TerminalsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const input = terminalList.load(await searchParams);
  const { user, ctx } = await pageAccess("terminals:read", input);
  const list = await queryTerminals(ctx, input);
  const mayPair = can(user.role, "pairing:create");
  return (
    <ListPage
      list={terminalList}
      params={list.params}
      title="Terminals"
      description="Every terminal known to Pairdesk, with its active pairing (Pay-Connect keeps one per terminal) and the registers that route to it."
      actions={mayPair ? <PairTerminalLink /> : null}
      filters={{
        label: "Filter terminals",
        fields: [
          { kind: "search", id: "terminal-search", label: "Search", name: "q", placeholder: "Terminal ID or pairing name", maxLength: 100 },
          { kind: "select", id: "terminal-environment", label: "Environment", name: "environment", options: ENVIRONMENT_OPTIONS },
          {
            kind: "select",
            id: "terminal-status",
            label: "Status",
            name: "status",
            options: [
              { value: "all", label: "All statuses" },
              { value: "paired", label: "Paired" },
              { value: "unpaired", label: "Unpaired" },
              { value: "credentials_refused", label: "Credentials refused" },
            ],
          },
        ],
      }}
      chips={{ environment: environmentLabel, status: (v) => STATUS_WORDS[v] ?? v }}
      exportPath="/api/terminals/export"
      noun={["terminals", "terminal"]}
      empty={
        mayPair
          ? "No terminals yet. Pair a terminal and it appears here."
          : "No terminals yet. Terminals appear here once support or an admin pairs one."
      }
      paging={list}
    >
      {(table) => <TerminalTable rows={list.rows} now={list.readAt} showMerchant={ctx.scope.kind === "all"} {...table} />}
    </ListPage>
  );
}
