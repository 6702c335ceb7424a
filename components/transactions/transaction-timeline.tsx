"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import type { TimelineEvent, TransactionStatusView } from "@/lib/transactions/queries";
import { formatDateTime } from "@/lib/format";
import type { TransactionStatus } from "@/lib/domain";
import { useSetLiveStatus } from "./live-status";
import { TRANSACTION_STATUS_LABELS } from "@/lib/labels";
import { TransactionStatusBadge } from "./transaction-status-badge";

/** How often an open transaction's page asks for news. */
const STATUS_POLL_MS = 2_000;

const EFFECT_WORDS: Record<string, string> = {
  created: "first seen",
  changed: "status changed",
  updated: "details updated",
  ignored: "kept, not applied",
};

/** In UTC, as everywhere else in the app (the server and every reader see the same time). */
function time(ms: number) {
  return formatDateTime(ms);
}

/**
 * The status and its timeline. While the transaction is open it asks the server for news every
 * STATUS_POLL_MS (TanStack Query), and stops once the status is final; when there is news (a
 * status, a new event) it refreshes the server-rendered page too (amounts, the operations allowed now).
 */
export function TransactionLive({
  transactionId,
  initial,
  linkDeliveries,
}: {
  transactionId: number;
  initial: TransactionStatusView;
  /** Whether the reader may open webhook deliveries (links). */
  linkDeliveries: boolean;
}) {
  const router = useRouter();
  const { data } = useQuery({
    // The server's render is the starting point: a new one (after an operation, a refresh) starts
    // a new query from it, so that a revert sent on a final transaction is followed again.
    queryKey: ["transaction-status", transactionId, initial.status, initial.watching, initial.timeline.length],
    queryFn: async (): Promise<TransactionStatusView> => {
      const res = await fetch(`/api/transactions/${transactionId}/status`, { cache: "no-store" });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return (await res.json()) as TransactionStatusView;
    },
    initialData: initial,
    // Until final, and after that while an operation on it is still being followed (a revert,
    // a cancel, a refund whose total has not come back yet).
    refetchInterval: (query) => (query.state.data?.watching ? STATUS_POLL_MS : false),
    refetchIntervalInBackground: false,
  });
  const view = data ?? initial;
  const setLive = useSetLiveStatus();
  useEffect(() => setLive(view.status), [view.status, setLive]);
  // Any news (a status, a refund total, an operation ended, a new event such as an amount
  // changed by a preauthorisation's increase) redraws the server-rendered parts.
  const seen = useRef(`${initial.status}:${initial.refundTotalAmount}:${initial.watching}:${initial.timeline.length}`);
  useEffect(() => {
    const now = `${view.status}:${view.refundTotalAmount}:${view.watching}:${view.timeline.length}`;
    if (now !== seen.current) {
      seen.current = now;
      router.refresh();
    }
  }, [view.status, view.refundTotalAmount, view.watching, view.timeline.length, router]);

  return (
    <section aria-labelledby="timeline-title" className="space-y-3" data-testid="transaction-live" data-final={view.final ? "yes" : "no"}>
      <div className="flex flex-wrap items-center gap-2" aria-live="polite">
        <TransactionStatusBadge status={view.status as TransactionStatus} />
        <span className="text-sm text-slate-600">
          {view.final ? "Final" : "Waiting for the terminal"} · by {view.statusSource}, {time(view.statusChangedAt)}
        </span>
      </div>
      <h2 id="timeline-title" className="text-base font-semibold">
        Timeline
      </h2>
      <ol className="space-y-2 border-l-2 border-slate-200 pl-4" data-testid="timeline">
        {view.timeline.map((e: TimelineEvent) => (
          <li key={e.id} data-testid={e.refund ? "timeline-refund-event" : "timeline-event"} data-status={e.status} data-source={e.source} data-effect={e.effect} className="text-sm">
            {e.refund ? (
              <>
                <Link href={`/transactions/${e.refund.id}`} className="font-medium text-brand-700 underline underline-offset-2" data-testid="timeline-refund">
                  Refund {e.refund.amount}
                </Link>{" "}
              </>
            ) : null}
            <span className="font-medium">{TRANSACTION_STATUS_LABELS[e.status as TransactionStatus] ?? e.status}</span>{" "}
            <span className="text-slate-600">
              {EFFECT_WORDS[e.effect] ?? e.effect} · by {e.source}
              {e.deliveryId !== null ? (
                linkDeliveries ? (
                  <>
                    {" "}
                    (<Link href={`/webhooks/${e.deliveryId}`} className="text-brand-700 underline underline-offset-2">delivery {e.deliveryId}</Link>)
                  </>
                ) : (
                  ` (delivery ${e.deliveryId})`
                )
              ) : null}
              {e.operationKind ? ` (${e.operationKind.replace("_", " ")})` : ""} · {time(e.at)}
            </span>
            {e.note ? <span className="block text-xs text-slate-600">{e.note}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
