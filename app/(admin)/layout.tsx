import { MonitorSmartphone } from "lucide-react";
import Link from "next/link";
import { SidebarNav } from "@/components/layout/sidebar-nav";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { Providers } from "@/components/providers";
import { Badge } from "@/components/ui/badge";
import { requireRouteUser } from "@/lib/auth";
import { getEnv } from "@/lib/env";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  // The path's permission too, before the loading boundary streams: a refusal is a real 403.
  const user = await requireRouteUser();
  const env = getEnv();
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-60 shrink-0 flex-col bg-slate-900 px-3 py-5 text-white">
        <Link href="/" className="mb-6 flex items-center gap-2 px-3 text-lg font-semibold">
          <MonitorSmartphone aria-hidden className="size-5 text-brand-100" />
          Pairdesk
        </Link>
        <SidebarNav isAdmin={user.role === "admin"} />
        <div className="mt-auto space-y-3 border-t border-slate-700 px-3 pt-4">
          {env.simulator.enabled ? (
            <Link href="/simulator" className="block text-xs text-slate-300 underline underline-offset-2 hover:text-white">
              Simulated terminal
            </Link>
          ) : null}
          <div>
            <p className="truncate text-sm font-medium" data-testid="current-user">
              {user.name || user.email}
            </p>
            {user.name ? <p className="truncate text-xs text-slate-400">{user.email}</p> : null}
            <Badge tone="info" className="mt-1" data-testid="current-role">
              {user.role}
            </Badge>
          </div>
          <SignOutButton />
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 px-8 py-8">
        <Providers>{children}</Providers>
      </main>
    </div>
  );
}
