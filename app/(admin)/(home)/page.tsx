import Link from "next/link";
import { DashboardView, type DashboardData } from "@/components/dashboard/dashboard-view";
import { PairTerminalLink } from "@/components/terminals/pair-terminal-link";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth";
import { AttemptTable } from "@/components/attempts/attempt-table";
import { listAttempts } from "@/lib/data/attempts";
import { getDashboard } from "@/lib/data/dashboard";
import { can } from "@/lib/permissions";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requirePageUser("terminals:read");
  const [data, latest] = await Promise.all([getDashboard(), listAttempts({ pageSize: 8 })]);
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Terminals by environment, the latest pairing attempts, and anything that needs recovery."
        actions={
          can(user.role, "pairing:create") ? (
            <PairTerminalLink />
          ) : null
        }
      />
      <DashboardView initial={JSON.parse(JSON.stringify(data)) as DashboardData} canRecover={can(user.role, "pairing:recover")} />
      <section aria-labelledby="attempts-heading" className="mt-6">
        <div className="mb-2 flex items-center justify-between">
          <h2 id="attempts-heading" className="text-base font-semibold">
            Latest pairing attempts
          </h2>
          <Link href="/attempts" className="text-sm text-brand-700 underline-offset-4 hover:underline">
            All attempts
          </Link>
        </div>
        <AttemptTable rows={latest.rows} now={latest.readAt} empty="No pairing attempts yet." />
      </section>
    </>
  );
}
