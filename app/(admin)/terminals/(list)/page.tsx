import { searchField, selectField } from "@/components/lists/fields";
import { ListPage, listAccess, type ListPageProps } from "@/components/lists/list-page";
import { PairTerminalLink } from "@/components/terminals/pair-terminal-link";
import { TerminalTable } from "@/components/terminals/terminal-table";
import { can } from "@/lib/auth/permissions";
import { ENVIRONMENT_OPTIONS, environmentLabel } from "@/lib/labels";
import { terminalList } from "@/lib/lists/lists";
import { queryTerminals } from "@/lib/pairing/terminal-queries";

export const metadata = { title: "Terminals" };

const STATUS_WORDS: Record<string, string> = { paired: "Paired", unpaired: "Unpaired" };

export default async function TerminalsPage({ searchParams }: ListPageProps) {
  const { params: input, user, ctx } = await listAccess(terminalList, "terminals:read", searchParams);
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
          searchField("terminal-search", "Terminal ID or pairing name", 100),
          selectField("terminal-environment", "Environment", "environment", ENVIRONMENT_OPTIONS),
          selectField("terminal-status", "Status", "status", [
            ["all", "All statuses"],
            ["paired", "Paired"],
            ["unpaired", "Unpaired"],
            ["credentials_refused", "Credentials refused"],
          ]),
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
