import { Plus } from "lucide-react";
import Link from "next/link";
import { DashboardView, type DashboardData } from "@/components/dashboard/dashboard-view";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth";
import { getDashboard } from "@/lib/data/dashboard";
import { can } from "@/lib/permissions";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requirePageUser("terminals:read");
  const data = await getDashboard();
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Terminals by environment, the latest pairing attempts, and anything that needs recovery."
        actions={
          can(user.role, "pairing:create") ? (
            <Button asChild>
              <Link href="/terminals/pair">
                <Plus aria-hidden /> Pair terminal
              </Link>
            </Button>
          ) : null
        }
      />
      <DashboardView initial={JSON.parse(JSON.stringify(data)) as DashboardData} canRecover={can(user.role, "pairing:recover")} />
    </>
  );
}
