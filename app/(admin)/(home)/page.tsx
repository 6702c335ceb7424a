import Link from "next/link";
import { DashboardView, type DashboardData } from "@/components/dashboard/dashboard-view";
import { PairTerminalLink } from "@/components/terminals/pair-terminal-link";
import { PageHeader } from "@/components/ui/page-header";
import { AttemptTable } from "@/components/attempts/attempt-table";
import { pageAccess } from "@/lib/auth/access";
import { queryAttempts } from "@/lib/pairing/attempt-queries";
import { queryDashboard } from "@/lib/dashboard/queries";
import { queryMerchant } from "@/lib/merchants/queries";
import { attemptList, loadMerchantView } from "@/lib/lists/lists";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const asked = loadMerchantView(await searchParams);
  const { user, ctx } = await pageAccess("terminals:read", asked);
  // The switcher's choice for staff; a merchant's people's links carry nothing of what the URL says.
  const view = { merchant: can(user.role, "merchants:read") ? asked.merchant : null };
  const data = await queryDashboard(ctx);
  const latest = await queryAttempts(ctx, { pageSize: 8 });
  // Which merchant these counts are of: all (staff), the switcher's choice, or one's own.
  const shown = ctx.scope.kind === "all" ? null : await queryMerchant(ctx, ctx.scope.merchantId);
  const merchantLabel = ctx.scope.kind === "all" ? "All merchants" : shown ? shown.name : "Unknown merchant";
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={
          <>
            <p>Terminals by environment, the latest pairing attempts, and anything that needs recovery.</p>
            <p className="mt-1">
              Merchant:{" "}
              <strong className="font-semibold text-slate-800" data-testid="dashboard-merchant">
                {merchantLabel}
              </strong>
              {shown?.status === "suspended" ? " (suspended)" : null}
            </p>
          </>
        }
        actions={
          can(user.role, "pairing:create") ? (
            <PairTerminalLink />
          ) : null
        }
      />
      <DashboardView
        initial={JSON.parse(JSON.stringify(data)) as DashboardData}
        canRecover={can(user.role, "pairing:recover")}
        merchant={view.merchant}
      />
      <section aria-labelledby="attempts-heading" className="mt-6">
        <div className="mb-2 flex items-center justify-between">
          <h2 id="attempts-heading" className="text-base font-semibold">
            Latest pairing attempts
          </h2>
          <Link href={attemptList.href(attemptList.values({ merchant: view.merchant }))} className="text-sm text-brand-700 underline-offset-4 hover:underline">
            All attempts
          </Link>
        </div>
        <AttemptTable
          rows={latest.rows}
          now={latest.readAt}
          showMerchant={ctx.scope.kind === "all"}
          empty="No pairing attempts yet."
        />
      </section>
    </>
  );
}
