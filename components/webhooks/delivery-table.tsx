import { Filter } from "lucide-react";
import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { TH } from "@/components/ui/table";
import { TransactionStatusBadge } from "@/components/transactions/transaction-status-badge";
import { TRANSACTION_STATUS_LABELS } from "@/lib/labels";
import type { DeliveryListRow } from "@/lib/webhooks/queries";
import { VerdictBadge } from "./verdict-badge";

function deliverySize(bytes: number) {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function Label({ children }: { children: React.ReactNode }) {
  return <span className="sr-only">{children}: </span>;
}

/**
 * The webhook deliveries list: when, the verdict, what it reported (the transaction's status),
 * which transaction (linked) and which terminal (its pairing's name). A table sharing the card's
 * width on a wide screen; stacked blocks (verdict and time, event and transaction, terminal) on
 * a phone.
 */
export function DeliveryTable({
  rows,
  empty,
  now,
  showMerchant,
  transactionHref,
}: {
  rows: DeliveryListRow[];
  empty: React.ReactNode;
  now: number;
  showMerchant: boolean;
  /** The list filtered to one transaction's deliveries. */
  transactionHref: (transactionRef: number) => string;
}) {
  return (
    <div role="region" aria-label="Webhook deliveries" tabIndex={0} className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white" data-testid="delivery-card">
      <table className="block w-full text-left text-sm md:table md:table-fixed" data-testid="delivery-table">
        <caption className="sr-only">Webhook deliveries, newest first</caption>
        <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-700 md:table-header-group">
          <tr>
            <TH className="md:w-[17%]">Received</TH>
            <TH className="md:w-[19%]">Verdict</TH>
            <TH className="md:w-[15%]">Event</TH>
            <TH className="md:w-[24%]">Transaction</TH>
            <TH className="md:w-[25%]">Terminal</TH>
          </tr>
        </thead>
        <tbody className="block divide-y divide-slate-100 md:table-row-group">
          {rows.length === 0 ? (
            <tr className="block md:table-row">
              <td colSpan={5} className="block px-4 py-10 text-slate-600 md:table-cell">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((d) => {
              const first = d.events[0];
              const others = d.events.length - 1;
              return (
                <tr
                  key={d.id}
                  data-testid="delivery-row"
                  data-delivery-id={d.id}
                  className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-3 gap-y-1 px-4 py-3 hover:bg-slate-50 md:table-row md:p-0 [&>td]:min-w-0 md:[&>td]:px-3 md:[&>td]:py-2.5 md:[&>td]:align-top"
                >
                  <td className="order-2 text-right text-sm md:order-none md:text-left">
                    <Label>Received</Label>
                    <Link href={`/webhooks/${d.id}`} className="font-medium text-brand-700 hover:underline" data-testid="delivery-link">
                      <RelativeTime value={d.receivedAt} now={now} />
                    </Link>
                    <span className="hidden text-xs text-slate-600 md:block">
                      #{d.id} · {deliverySize(d.sizeBytes)}
                    </span>
                  </td>
                  <td className="order-1 md:order-none" data-testid="delivery-verdict-cell">
                    <Label>Verdict</Label>
                    <VerdictBadge verdict={d.verdict} /> <span className="whitespace-nowrap text-xs text-slate-600">HTTP {d.httpStatus}</span>
                    {d.processError ? <span className="block text-xs text-red-700">not applied</span> : null}
                    {d.verdict !== "accepted" && d.reason ? (
                      <span className="block truncate text-xs text-slate-600" title={d.reason}>
                        {d.reason}
                      </span>
                    ) : null}
                  </td>
                  <td className="order-3 md:order-none" data-testid="delivery-event">
                    <Label>Event</Label>
                    {first ? (
                      <>
                        <TransactionStatusBadge status={first.status} />
                        {others > 0 ? (
                          <span className="block text-xs text-slate-600" title={d.events.slice(1).map((e) => `${e.providerTransactionId}: ${TRANSACTION_STATUS_LABELS[e.status]}`).join("\n")}>
                            and {others} more
                          </span>
                        ) : null}
                      </>
                    ) : (
                      <span className="text-xs text-slate-600">{d.verdict === "accepted" ? "nothing new" : "not read"}</span>
                    )}
                  </td>
                  <td className="order-4 col-span-2 md:order-none" data-testid="delivery-transaction">
                    <Label>Transaction</Label>
                    {first ? (
                      <span className="flex min-w-0 items-center gap-1">
                        <Link
                          href={`/transactions/${first.transactionRef}`}
                          className="min-w-0 truncate font-mono text-xs text-brand-700 hover:underline"
                          title={first.providerTransactionId}
                        >
                          {first.providerTransactionId}
                        </Link>
                        <Link
                          href={transactionHref(first.transactionRef)}
                          className="shrink-0 rounded p-0.5 text-slate-500 hover:bg-slate-100 hover:text-brand-700"
                          title="Only this transaction's deliveries"
                          aria-label={`Only the deliveries of ${first.providerTransactionId}`}
                        >
                          <Filter aria-hidden className="size-3.5" />
                        </Link>
                      </span>
                    ) : (
                      <span className="text-slate-500">—</span>
                    )}
                  </td>
                  <td className="order-5 col-span-2 md:order-none" data-testid="delivery-terminal">
                    <Label>Terminal</Label>
                    {d.terminalRef ? (
                      <Link href={`/terminals/${d.terminalRef}`} className="block min-w-0 truncate text-brand-700 hover:underline" title={`${d.pairingName ?? ""} (${d.terminalId ?? ""})`}>
                        {d.pairingName ?? d.terminalId} <span className="font-mono text-xs text-slate-600">{d.pairingName ? d.terminalId : null}</span>
                      </Link>
                    ) : (
                      <span className="text-slate-500">unknown URL</span>
                    )}
                    {showMerchant ? (
                      <span className="block truncate text-xs text-slate-600" title={d.merchantName ?? undefined} data-testid="merchant-cell">
                        {d.merchantName ?? "—"}
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
