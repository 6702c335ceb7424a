"use client";

import type { Role } from "@/lib/domain";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import { Menu, MonitorSmartphone, X } from "lucide-react";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { ShellLink, SidebarNav } from "./sidebar-nav";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";

/**
 * Below the `nav` breakpoint (900 px): a top bar with the menu button, the name and Sign out,
 * and the navigation in a side sheet (a modal dialog: focus trapped, Esc closes, and it closes
 * when the page changes).
 */
export function MobileNav({
  role,
  keepMerchant,
  account,
  merchantSlot,
}: {
  role: Role;
  /** Staff: links keep the switcher's `?merchant=`. */
  keepMerchant: boolean;
  account: React.ReactNode;
  /** In the top bar: staff's merchant switcher, or a merchant's name for its people. */
  merchantSlot?: React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const [shownPath, setShownPath] = useState(pathname);
  if (pathname !== shownPath) {
    // Back/forward or a link elsewhere on the page: the sheet does not outlive its page.
    setShownPath(pathname);
    setOpen(false);
  }
  return (
    <header className="sticky top-(--banner-h) z-30 flex h-14 items-center gap-2 bg-shell px-3 text-shell-strong nav:hidden">
      <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
        <DialogPrimitive.Trigger
          className="inline-flex size-10 items-center justify-center rounded-md text-shell-muted hover:bg-shell-raised hover:text-shell-strong"
          aria-label="Menu"
        >
          <Menu aria-hidden className="size-5" />
        </DialogPrimitive.Trigger>
        <DialogPrimitive.Portal>
          <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-black/60" />
          <DialogPrimitive.Content
            aria-describedby={undefined}
            data-testid="nav-drawer"
            className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col overflow-y-auto bg-shell px-3 py-4 text-shell-strong shadow-xl"
          >
            <div className="mb-4 flex items-center justify-between px-3">
              <DialogPrimitive.Title className="flex items-center gap-2 text-lg font-semibold">
                <MonitorSmartphone aria-hidden className="size-5 text-shell-accent" />
                Pairdesk
              </DialogPrimitive.Title>
              <DialogPrimitive.Close
                aria-label="Close menu"
                className="inline-flex size-9 items-center justify-center rounded-md text-shell-muted hover:bg-shell-raised hover:text-shell-strong"
              >
                <X aria-hidden className="size-5" />
              </DialogPrimitive.Close>
            </div>
            <SidebarNav role={role} keepMerchant={keepMerchant} onNavigate={() => setOpen(false)} />
            <div className="mt-auto space-y-3 border-t border-shell-line px-3 pt-4">
              {account}
              <ThemeToggle />
              <SignOutButton />
            </div>
          </DialogPrimitive.Content>
        </DialogPrimitive.Portal>
      </DialogPrimitive.Root>
      <ShellLink href="/" keepMerchant={keepMerchant} className="flex shrink-0 items-center gap-2 font-semibold">
        <MonitorSmartphone aria-hidden className="size-5 shrink-0 text-shell-accent" />
        {/* Beside a merchant, the name gives way on a phone (the icon still leads home). */}
        <span className={merchantSlot ? "sr-only sm:not-sr-only" : undefined}>Pairdesk</span>
      </ShellLink>
      {merchantSlot}
      <SignOutButton compact className="ml-auto shrink-0" />
    </header>
  );
}
