"use client";

import { useEffect, useRef, useState } from "react";
import { copyText } from "./copy-button";

/**
 * Copies for every <CopyId> inside it: one click listener for the whole list. The clicked button
 * shows "Copied" (or "Copy failed") for two seconds (`data-copied`, drawn by CSS), and the live
 * region says which value was copied.
 */
export function CopyIdScope({ children, className }: { children: React.ReactNode; className?: string }) {
  const [said, setSaid] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const shown = useRef<HTMLElement | null>(null);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function onClick(event: React.MouseEvent<HTMLDivElement>) {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-copy]");
    if (!button || !event.currentTarget.contains(button)) return;
    const ok = await copyText(button.dataset.copy ?? "");
    shown.current?.removeAttribute("data-copied");
    button.dataset.copied = ok ? "yes" : "no";
    shown.current = button;
    const what = (button.getAttribute("aria-label") ?? "").replace(/^Copy /, "");
    setSaid(ok ? `Copied ${what}` : "Copy failed: select the text and copy it");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      button.removeAttribute("data-copied");
      setSaid("");
    }, 2000);
  }

  return (
    // The buttons inside are the controls (a key press on one is a click too); this only listens.
    <div className={className} onClick={(e) => void onClick(e)}>
      {children}
      <span aria-live="polite" className="sr-only" data-testid="copy-id-status">
        {said}
      </span>
    </div>
  );
}
