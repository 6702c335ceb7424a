"use client";

import { LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

export function SignOutButton({ compact, className }: { compact?: boolean; className?: string }) {
  return (
    <Button
      variant="ghost"
      size="sm"
      className={cn(
        "text-shell-muted hover:bg-shell-raised hover:text-shell-strong",
        compact ? "px-2" : "w-full justify-start",
        className,
      )}
      onClick={() => signOut({ callbackUrl: "/login?signedOut=1" })}
    >
      <LogOut aria-hidden />
      Sign out
    </Button>
  );
}
