"use client";

import { ClipboardList, Gauge, History, MonitorSmartphone, Store, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

const ITEMS = [
  { href: "/", label: "Dashboard", icon: Gauge, adminOnly: false },
  { href: "/terminals", label: "Terminals", icon: MonitorSmartphone, adminOnly: false },
  { href: "/attempts", label: "Pairing attempts", icon: History, adminOnly: false },
  { href: "/audit", label: "Audit log", icon: ClipboardList, adminOnly: false },
  { href: "/users", label: "Users", icon: Users, adminOnly: true },
  // Staff admins only ("merchants:manage"): isAdmin is the staff admin role.
  { href: "/merchants", label: "Merchants", icon: Store, adminOnly: true },
];

export function SidebarNav({ isAdmin, onNavigate }: { isAdmin: boolean; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-1">
      {ITEMS.filter((i) => isAdmin || !i.adminOnly).map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        const Icon = item.icon;
        return (
          <Link
            key={item.href}
            href={item.href}
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
