"use client";

import { createContext, useContext, useState } from "react";
import type { TransactionStatus } from "@/lib/domain";
import { TRANSACTION_STATUS_LABELS } from "@/lib/labels";

/**
 * The transaction's status as the page's live timeline last read it, shared with the operations
 * panel: the panel was drawn for the status of the server's read, and while the live status has
 * moved on (the second before the page redraws) it offers nothing rather than an operation that
 * no longer applies (Cancel on a payment that just turned final).
 */
const LiveStatus = createContext<{ status: string; set: (status: string) => void } | null>(null);

export function LiveStatusProvider({ initial, children }: { initial: string; children: React.ReactNode }) {
  const [status, set] = useState(initial);
  return <LiveStatus.Provider value={{ status, set }}>{children}</LiveStatus.Provider>;
}

/** For the live timeline: tells the page the status it just read. */
export function useSetLiveStatus(): (status: string) => void {
  return useContext(LiveStatus)?.set ?? noop;
}

function noop() {}

/** Shows `children` (the operations offered) only while the live status is the one they were drawn for. */
export function OffersGate({ renderedStatus, children }: { renderedStatus: string; children: React.ReactNode }) {
  const live = useContext(LiveStatus)?.status ?? renderedStatus;
  if (live === renderedStatus) return <>{children}</>;
  return (
    <p className="text-slate-600" data-testid="operations-updating" aria-live="polite">
      The status just changed to {TRANSACTION_STATUS_LABELS[live as TransactionStatus] ?? live}: updating what can be done…
    </p>
  );
}
