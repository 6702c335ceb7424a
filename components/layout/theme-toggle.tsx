"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useTheme } from "next-themes";
import { useSyncExternalStore } from "react";
import { cn } from "@/lib/utils";

const OPTIONS = [
  { value: "light", label: "Light", icon: Sun },
  { value: "dark", label: "Dark", icon: Moon },
  { value: "system", label: "System", icon: Monitor },
] as const;

const noop = () => () => {};

/** Light / dark / system, as three pressed-or-not buttons in the shell. */
export function ThemeToggle({ className }: { className?: string }) {
  const { theme, setTheme } = useTheme();
  // The stored choice is only known in the browser: the server renders none pressed.
  const mounted = useSyncExternalStore(noop, () => true, () => false);
  const current = mounted ? (theme ?? "system") : null;
  return (
    <div role="group" aria-label="Theme" className={cn("inline-flex rounded-md bg-shell-raised p-0.5", className)}>
      {OPTIONS.map(({ value, label, icon: Icon }) => (
        <button
          key={value}
          type="button"
          aria-pressed={current === value}
          title={`${label} theme`}
          onClick={() => setTheme(value)}
          className={cn(
            "inline-flex size-7 items-center justify-center rounded text-shell-muted hover:text-shell-strong",
            current === value && "bg-shell text-shell-strong",
          )}
        >
          <Icon aria-hidden className="size-4" />
          <span className="sr-only">{label} theme</span>
        </button>
      ))}
    </div>
  );
}
