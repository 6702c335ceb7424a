"use client";

import { ArrowLeftRight, ClipboardList, Gauge, History, Inbox, MapPin, MonitorSmartphone, Network, Store, Users } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import type { Role } from "@/lib/domain";
import { parseMerchantId, withMerchant } from "@/lib/lists/merchant-links";
import { can, type Permission } from "@/lib/auth/permissions";
import { cn } from "@/lib/utils";

/** Each link shows to the roles that may open its page (the server checks again). */
const ITEMS: { href: string; label: string; icon: typeof Gauge; permission: Permission }[] = [
  { href: "/", label: "Dashboard", icon: Gauge, permission: "terminals:read" },
  { href: "/terminals", label: "Terminals", icon: MonitorSmartphone, permission: "terminals:read" },
  { href: "/transactions", label: "Transactions", icon: ArrowLeftRight, permission: "transactions:read" },
  { href: "/registers", label: "Registers", icon: Network, permission: "registers:read" },
  { href: "/locations", label: "Locations", icon: MapPin, permission: "registers:read" },
  { href: "/attempts", label: "Pairing attempts", icon: History, permission: "attempts:read" },
  { href: "/webhooks", label: "Webhook deliveries", icon: Inbox, permission: "webhooks:read" },
  { href: "/audit", label: "Audit log", icon: ClipboardList, permission: "audit:read" },
  { href: "/users", label: "Users", icon: Users, permission: "users:manage" },
  { href: "/merchants", label: "Merchants", icon: Store, permission: "merchants:manage" },
];

/** The switcher's merchant (staff) for every link of the shell; none for a merchant's people. */
function useKeptMerchant(keepMerchant: boolean): number | null {
  const merchant = parseMerchantId(useSearchParams().get("merchant"));
  return keepMerchant ? merchant : null;
}

/** A link of the shell that keeps the switcher's merchant (`keepMerchant`: staff). */
export function ShellLink({
  href,
  keepMerchant,
  ...props
}: Omit<React.ComponentProps<typeof Link>, "href"> & { href: string; keepMerchant: boolean }) {
  const merchant = useKeptMerchant(keepMerchant);
  return <Link href={withMerchant(href, merchant)} {...props} />;
}

export function SidebarNav({
  role,
  keepMerchant,
  onNavigate,
}: {
  role: Role;
  /** Staff: each link keeps the switcher's `?merchant=`. */
  keepMerchant: boolean;
  onNavigate?: () => void;
}) {
  const pathname = usePathname();
  const merchant = useKeptMerchant(keepMerchant);
  return (
    <nav aria-label="Main" className="flex flex-col gap-1">
      {ITEMS.filter((i) => can(role, i.permission)).map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        const Icon = item.icon;
        return (
          <Link
            key={item.href}
            href={withMerchant(item.href, merchant)}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-shell-muted hover:bg-shell-raised hover:text-shell-strong",
              active && "bg-shell-raised text-shell-strong",
            )}
          >
            <Icon aria-hidden className="size-4" />
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
