"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { cn } from "@/lib/utils";

/**
 * Copies text to the clipboard. The Clipboard API exists only on secure origins (https or
 * localhost); on plain http (a LAN address) it falls back to a hidden textarea and
 * `document.execCommand("copy")`, which browsers still honour inside a click.
 */
export async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== "undefined" && navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused or document not focused: try the fallback.
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.top = "-1000px";
  area.style.opacity = "0";
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  active?.focus();
  return ok;
}

/**
 * A small button beside an id, URL or secret. After a click it says "Copied" (or "Copy failed")
 * for two seconds, visibly and through a polite live region. `label` names what is copied, for
 * the button's accessible name ("Copy client_id"). The value never goes anywhere but the
 * clipboard.
 */
export function CopyButton({ value, label, className }: { value: string; label: string; className?: string }) {
  const [status, setStatus] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function onClick() {
    const ok = await copyText(value);
    setStatus(ok ? "copied" : "failed");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setStatus("idle"), 2000);
  }

  return (
    <span className={cn("inline-flex items-center gap-1 align-middle", className)}>
      <button
        type="button"
        onClick={onClick}
        aria-label={`Copy ${label}`}
        title={`Copy ${label}`}
        data-testid="copy-button"
        className="inline-flex size-7 shrink-0 items-center justify-center rounded text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      >
        {status === "copied" ? <Check aria-hidden className="size-4 text-green-700" /> : <Copy aria-hidden className="size-4" />}
      </button>
      <span aria-live="polite" className="text-xs font-medium text-green-700">
        {status === "copied" ? "Copied" : status === "failed" ? <span className="text-red-700">Copy failed: select the text and copy it</span> : null}
      </span>
    </span>
  );
}
