import { MonitorSmartphone, Store } from "lucide-react";
import Link from "next/link";
import { MerchantSwitcher, UnknownMerchantNotice } from "@/components/layout/merchant-switcher";
import { MobileNav } from "@/components/layout/mobile-nav";
import { SearchShortcut } from "@/components/layout/search-shortcut";
import { ShellLink, SidebarNav } from "@/components/layout/sidebar-nav";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { ThemeToggle } from "@/components/layout/theme-toggle";
import { Providers } from "@/components/providers";
import { requireRouteUser } from "@/lib/auth/auth";
import { pageAccess } from "@/lib/auth/access";
import { queryMerchantOptions } from "@/lib/merchants/queries";
import { roleLabel } from "@/lib/domain";
import { getEnv } from "@/lib/env";
import type { MerchantChoice } from "@/lib/lists/merchant-links";
import { can } from "@/lib/auth/permissions";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  // The path's permission too, before the loading boundary streams: a refusal is a real 403.
  const user = await requireRouteUser();
  const env = getEnv();
  // Staff choose a merchant (or all) in the switcher; a merchant's people see their own name only.
  const isStaffView = can(user.role, "merchants:read");
  let merchants: MerchantChoice[] = [];
  if (isStaffView) {
    const { ctx } = await pageAccess("merchants:read");
    merchants = await queryMerchantOptions(ctx);
  }
  const ownMerchant = !isStaffView && user.merchantName ? user.merchantName : null;
  const account = (
    <div className="space-y-3">
      {/* Staff only: the simulator's screens name every merchant's demo terminals. */}
      {env.simulator.enabled && isStaffView ? (
        <Link href="/simulator" className="block text-xs text-shell-muted underline underline-offset-2 hover:text-shell-strong">
          Simulated terminal
        </Link>
      ) : null}
      <div>
        <p className="truncate text-sm font-medium" data-testid="current-user">
          {user.name || user.email}
        </p>
        {user.name ? <p className="truncate text-xs text-shell-muted">{user.email}</p> : null}
        <span
          className="mt-1 inline-flex items-center rounded-full bg-shell-raised px-2 py-0.5 text-xs font-medium text-shell-accent ring-1 ring-inset ring-shell-line"
          data-testid="current-role"
        >
          {roleLabel(user.role)}
        </span>
      </div>
    </div>
  );
  return (
    <div className="flex flex-1 flex-col nav:flex-row">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-4 py-2 text-sm font-medium text-brand-700 shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
      >
        Skip to content
      </a>
      <MobileNav
        role={user.role}
        keepMerchant={isStaffView}
        account={account}
        merchantSlot={
          isStaffView ? (
            <MerchantSwitcher merchants={merchants} variant="bar" />
          ) : ownMerchant ? (
            <p className="flex min-w-0 items-center gap-1.5 text-sm text-shell-strong" data-testid="mobile-merchant">
              <Store aria-hidden className="size-4 shrink-0 text-shell-accent" />
              <span className="truncate">{ownMerchant}</span>
            </p>
          ) : null
        }
      />
      <aside className="sticky top-(--banner-h) hidden h-[calc(100dvh-var(--banner-h))] w-60 shrink-0 flex-col overflow-y-auto bg-shell px-3 py-5 text-shell-strong nav:flex">
        <ShellLink href="/" keepMerchant={isStaffView} className="mb-6 flex items-center gap-2 px-3 text-lg font-semibold">
          <MonitorSmartphone aria-hidden className="size-5 text-shell-accent" />
          Pairdesk
        </ShellLink>
        {isStaffView ? (
          <div className="mb-4">
            <MerchantSwitcher merchants={merchants} variant="sidebar" />
          </div>
        ) : ownMerchant ? (
          // Where staff have the switcher: the merchant these people work for, and their role.
          <div className="mb-4 flex items-center gap-2 rounded-md bg-shell-raised/60 px-3 py-2 text-sm ring-1 ring-inset ring-shell-line">
            <Store aria-hidden className="size-4 shrink-0 text-shell-accent" />
            <div className="min-w-0">
              <p className="text-xs text-shell-muted">Merchant</p>
              <p className="truncate font-medium" title={ownMerchant} data-testid="current-merchant">
                {ownMerchant}
              </p>
              <p className="text-xs text-shell-muted">{roleLabel(user.role)}</p>
            </div>
          </div>
        ) : null}
        <SidebarNav role={user.role} keepMerchant={isStaffView} />
        <div className="mt-auto space-y-3 border-t border-shell-line px-3 pt-4">
          {account}
          <ThemeToggle />
          <SignOutButton />
        </div>
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 focus:outline-none sm:px-8 sm:py-8">
        {isStaffView ? <UnknownMerchantNotice merchants={merchants} /> : null}
        <Providers>{children}</Providers>
      </main>
      <SearchShortcut />
    </div>
  );
}
