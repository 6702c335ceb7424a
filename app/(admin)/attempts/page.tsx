import { AttemptTable } from "@/components/attempts/attempt-table";
import { searchField, selectField } from "@/components/lists/fields";
import { ListPage, listAccess, type ListPageProps } from "@/components/lists/list-page";
import { ATTEMPT_STATUSES, type AttemptStatus } from "@/lib/domain";
import { ATTEMPT_STATUS_LABELS, ENVIRONMENT_OPTIONS, environmentLabel } from "@/lib/labels";
import { attemptList } from "@/lib/lists/lists";
import { queryAttempts } from "@/lib/pairing/attempt-queries";

export const metadata = { title: "Pairing attempts" };

export default async function AttemptsPage({ searchParams }: ListPageProps) {
  const { params: input, ctx } = await listAccess(attemptList, "attempts:read", searchParams);
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
          searchField("attempt-search", "Pairing name, terminal ID or email", 100),
          selectField("attempt-status", "Outcome", "status", [["all", "All outcomes"], ...ATTEMPT_STATUSES.map((s) => [s, ATTEMPT_STATUS_LABELS[s]] as const)]),
          selectField("attempt-environment", "Environment", "environment", ENVIRONMENT_OPTIONS),
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
