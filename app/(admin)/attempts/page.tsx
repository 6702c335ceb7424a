import { AttemptTable } from "@/components/attempts/attempt-table";
import { ListPage } from "@/components/lists/list-page";
import { pageAccess } from "@/lib/auth/access";
import { ATTEMPT_STATUSES, type AttemptStatus } from "@/lib/domain";
import { ATTEMPT_STATUS_LABELS, ENVIRONMENT_OPTIONS, environmentLabel } from "@/lib/labels";
import { attemptList } from "@/lib/lists/lists";
import { queryAttempts } from "@/lib/pairing/attempt-queries";

export const metadata = { title: "Pairing attempts" };

export default async function AttemptsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const input = attemptList.load(await searchParams);
  const { ctx } = await pageAccess("attempts:read", input);
  const list = await queryAttempts(ctx, input);
  return (
    <ListPage
      list={attemptList}
      params={list.params}
      title="Pairing attempts"
      description="Every try to pair a terminal, whatever its outcome, newest first. When a merchant says “it didn't work”, the reason is here."
      filters={{
        label: "Filter pairing attempts",
        fields: [
          { kind: "search", id: "attempt-search", label: "Search", name: "q", placeholder: "Pairing name, terminal ID or email", maxLength: 100 },
          {
            kind: "select",
            id: "attempt-status",
            label: "Outcome",
            name: "status",
            options: [{ value: "all", label: "All outcomes" }, ...ATTEMPT_STATUSES.map((s) => ({ value: s, label: ATTEMPT_STATUS_LABELS[s] }))],
          },
          { kind: "select", id: "attempt-environment", label: "Environment", name: "environment", options: ENVIRONMENT_OPTIONS },
        ],
      }}
      chips={{ status: (v) => ATTEMPT_STATUS_LABELS[v as AttemptStatus] ?? v, environment: environmentLabel }}
      exportPath="/api/attempts/export"
      noun={["attempts", "attempt"]}
      empty="No pairing attempts yet."
      paging={list}
    >
      {(table) => <AttemptTable rows={list.rows} now={list.readAt} showMerchant={ctx.scope.kind === "all"} {...table} />}
    </ListPage>
  );
}
