"use client";

import { LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

export function SignOutButton() {
  return (
    <Button
      variant="ghost"
      size="sm"
      className="w-full justify-start text-slate-300 hover:bg-slate-800 hover:text-white"
      onClick={() => signOut({ callbackUrl: "/login" })}
    >
      <LogOut aria-hidden />
      Sign out
    </Button>
  );
}
