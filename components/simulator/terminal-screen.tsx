/**
 * One simulated terminal's screen: its label and id, the OTP it shows (with its countdown) and
 * the button that generates one, its active and ended pairings, the last provider calls about
 * it, and its test switches. A labelled region, so that several can sit side by side and each
 * is found by its name ("<label> <terminal id>").
 */
import Link from "next/link";
import { OtpCountdown } from "@/components/simulator/otp-countdown";
import { SubmitButton } from "@/components/simulator/submit-button";
import { Badge } from "@/components/ui/badge";
import type { SimulatorCall } from "@/lib/simulator/calls";
import { FAULT_DESCRIPTIONS, type Fault, type FaultKind } from "@/lib/simulator/faults";
import { formatAmount } from "@/lib/transactions/money";
import { TRANSACTION_KIND_LABELS } from "@/lib/labels";
import type { SimTransaction } from "@/lib/simulator/payment-rows";
import type { GeneratedOtp, SimulatedTerminalWithPairings } from "@/lib/simulator/terminals";
import type { SimWebhook } from "@/lib/simulator/webhooks";

type FormAction = (formData: FormData) => Promise<void>;

export type TerminalScreenActions = {
  generateOtp: FormAction;
  unpairOnTerminal: FormAction;
  setFault: FormAction;
  clearFaults: FormAction;
  /** approve | decline | cancel one open payment (fields terminalId, transactionId, move). */
  movePayment: FormAction;
  /** Turns the terminal's auto-approve switch on or off (fields terminalId, on). */
  setAutoApprove: FormAction;
};

/** A heading on the terminal's screen: small capitals, light on its dark glass. */
const SCREEN_LABEL = "text-xs font-medium uppercase tracking-wider text-slate-400 dark:text-slate-300";
const PAYMENTS_SHOWN = 5;
const WEBHOOKS_SHOWN = 6;

/** The switches each screen offers, for its own terminal's next call. */
const SWITCHES: { kind: FaultKind; label: string }[] = [
  { kind: "pair_500", label: "Fail next pair call (500)" },
  { kind: "pair_slow", label: "Delay next pair call past the timeout" },
  { kind: "pair_malformed", label: "Answer next pair call without client_secret" },
  { kind: "unpair_500", label: "Fail next unpair call (500)" },
  { kind: "charge_500", label: "Fail next charge call (500)" },
  { kind: "status_500", label: "Fail next status poll (500)" },
  { kind: "refund_500", label: "Fail next refund call (500)" },
  { kind: "cancel_500", label: "Fail next cancel call (500)" },
  { kind: "revert_500", label: "Fail next revert call (500)" },
  { kind: "webhook_drop", label: "Drop next webhook" },
  { kind: "webhook_duplicate", label: "Send next webhook twice" },
  { kind: "webhook_reorder", label: "Hold next webhook back (reorder)" },
  { kind: "webhook_delay", label: "Delay next webhook" },
  { kind: "webhook_bad_signature", label: "Sign next webhook with a wrong key" },
];

/** How many ended pairings and calls a screen lists. */
const ENDED_SHOWN = 5;
const CALLS_SHOWN = 6;

function formatTime(ms: number): string {
  return `${new Date(ms).toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" })} UTC`;
}

function formatClock(ms: number): string {
  return `${new Date(ms).toLocaleTimeString("en-GB", { timeZone: "UTC", hour12: false })} UTC`;
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

export function describeFault(f: Fault): string {
  const delay = f.delayMs !== null ? ` after ${seconds(f.delayMs)}` : "";
  const times = f.remaining > 1 ? `next ${f.remaining} calls` : "next call";
  return `${FAULT_DESCRIPTIONS[f.kind]}${delay} (${times})`;
}

export function TerminalScreen({
  terminal,
  otp,
  calls,
  faults,
  hideHref,
  actions,
  payments = [],
  webhooks = [],
  autoApprove = false,
}: {
  terminal: SimulatedTerminalWithPairings;
  otp: GeneratedOtp | null;
  calls: SimulatorCall[];
  /** The faults scoped to this terminal. */
  faults: Fault[];
  /** The page without this screen, when others are shown beside it. */
  hideHref: string | null;
  actions: TerminalScreenActions;
  /** The terminal's latest transactions, newest first. */
  payments?: SimTransaction[];
  /** Its latest webhooks, newest first. */
  webhooks?: SimWebhook[];
  autoApprove?: boolean;
}) {
  const id = terminal.terminalId;
  const titleId = `sim-screen-${id}-title`;
  const idLabelId = `sim-screen-${id}-id`;
  const active = terminal.pairings.filter((p) => p.status === "active");
  const ended = terminal.pairings.filter((p) => p.status !== "active");

  return (
    <section
      aria-labelledby={`${titleId} ${idLabelId}`}
      data-testid="sim-screen"
      data-terminal-id={id}
      className="w-full min-w-0 rounded-[2rem] bg-slate-800 p-2.5 shadow-xl ring-1 ring-slate-900"
    >
      <div className="flex h-full flex-col gap-4 rounded-[1.5rem] bg-slate-950 p-4 text-slate-100 sm:p-5">
        <div className="flex items-center justify-between gap-2 text-xs text-slate-400 dark:text-slate-300">
          <span className="font-semibold tracking-wide">Pay-Connect</span>
          {hideHref ? (
            <Link
              href={hideHref}
              className="rounded px-1 text-slate-300 underline underline-offset-4 hover:text-white"
              aria-label={`Hide the screen of ${terminal.label} (${id})`}
            >
              Hide
            </Link>
          ) : (
            <span>Simulated device</span>
          )}
        </div>

        <div className="min-w-0">
          <h2 id={titleId} className="truncate text-lg font-semibold" title={terminal.label}>
            {terminal.label}
          </h2>
          <p className="text-sm text-slate-300">
            Terminal ID{" "}
            <span id={idLabelId} data-testid="sim-terminal-id" className="font-mono text-slate-100">
              {id}
            </span>
          </p>
        </div>

        <div className="rounded-xl bg-slate-900 px-3 py-5 text-center ring-1 ring-slate-800">
          <div aria-live="polite" aria-atomic="true">
            {otp ? (
              <>
                <p className={SCREEN_LABEL}>Pay-Connect OTP</p>
                <p
                  data-testid="sim-otp"
                  className="my-2 font-mono text-3xl font-bold tracking-[0.12em] text-white sm:text-4xl"
                >
                  {otp.otp}
                </p>
              </>
            ) : (
              <p className="text-sm text-slate-300">
                No OTP on screen. Generate one, then type it into Pairdesk&apos;s pairing form.
              </p>
            )}
          </div>
          {otp ? (
            <p className="text-sm text-slate-300">
              <OtpCountdown key={otp.otp} expiresAt={otp.expiresAt} />
            </p>
          ) : null}
        </div>

        <form action={actions.generateOtp}>
          <input type="hidden" name="terminalId" value={id} />
          <SubmitButton size="lg" className="h-14 w-full text-base">
            Generate Pay-Connect OTP
          </SubmitButton>
        </form>

        <div className="border-t border-slate-800 pt-3" data-testid="sim-pairing-status">
          <h3 className={SCREEN_LABEL}>Pairing status</h3>
          {active.length > 0 ? (
            <ul className="mt-2 space-y-2 text-sm">
              {active.map((p) => (
                <li key={p.payConnectId} data-testid="sim-active-pairing" className="min-w-0">
                  <span className="flex flex-wrap items-center gap-2">
                    <Badge tone="success">Paired</Badge>
                    <span className="font-medium break-words" data-testid="sim-paired-name">
                      {p.name}
                    </span>
                  </span>
                  <span className="mt-0.5 block break-all font-mono text-xs text-slate-300">
                    <span className="sr-only">pay_connect_id </span>
                    {p.payConnectId}
                  </span>
                  <span className="block text-xs text-slate-400 dark:text-slate-300">since {formatTime(p.createdAt)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-slate-300">Not paired</p>
          )}
          {active.length > 0 ? (
            <form action={actions.unpairOnTerminal} className="mt-3">
              <input type="hidden" name="terminalId" value={id} />
              <SubmitButton variant="secondary" size="sm">
                Unpair on this terminal
              </SubmitButton>
            </form>
          ) : null}
        </div>

        {ended.length > 0 ? (
          <div className="border-t border-slate-800 pt-3">
            <h3 className={SCREEN_LABEL}>
              Ended pairings ({ended.length})
            </h3>
            <ul className="mt-2 space-y-1.5 text-xs text-slate-300" data-testid="sim-ended-pairings">
              {ended.slice(0, ENDED_SHOWN).map((p) => (
                <li key={p.payConnectId} data-testid="sim-ended-pairing" className="min-w-0">
                  <span className="flex flex-wrap items-center gap-x-2">
                    <Badge tone={p.status === "replaced" ? "warning" : "neutral"}>
                      {p.status === "replaced" ? "Replaced" : "Unpaired"}
                    </Badge>
                    <span className="font-medium text-slate-100 break-words">{p.name}</span>
                  </span>
                  <span className="block break-all font-mono text-slate-400 dark:text-slate-300">{p.payConnectId}</span>
                  <span className="block text-slate-400 dark:text-slate-300">
                    {p.status === "replaced"
                      ? `replaced by a new pairing ${p.replacedAt !== null ? formatTime(p.replacedAt) : ""}`
                      : `unpaired ${p.unpairedAt !== null ? formatTime(p.unpairedAt) : ""}`}
                  </span>
                </li>
              ))}
            </ul>
            {ended.length > ENDED_SHOWN ? (
              <p className="mt-1 text-xs text-slate-400 dark:text-slate-300">and {ended.length - ENDED_SHOWN} earlier</p>
            ) : null}
          </div>
        ) : null}

        <div className="border-t border-slate-800 pt-3" data-testid="sim-payments">
          <div className="flex items-center justify-between gap-2">
            <h3 className={SCREEN_LABEL}>Payments</h3>
            <form action={actions.setAutoApprove}>
              <input type="hidden" name="terminalId" value={id} />
              <input type="hidden" name="on" value={autoApprove ? "off" : "on"} />
              <SubmitButton variant="secondary" size="sm" aria-pressed={autoApprove} data-testid="sim-auto-approve">
                Auto-approve: {autoApprove ? "on" : "off"}
              </SubmitButton>
            </form>
          </div>
          {payments.length > 0 ? (
            <ul className="mt-2 space-y-2 text-sm">
              {payments.slice(0, PAYMENTS_SHOWN).map((t) => {
                const open = t.status === "INITIATED" || t.status === "IN_PROGRESS";
                return (
                  <li
                    key={t.transaction_id}
                    data-testid="sim-payment"
                    data-transaction-id={t.transaction_id}
                    data-status={t.status}
                    className={open ? "rounded-lg bg-slate-900 p-3 ring-1 ring-sky-700" : "min-w-0"}
                  >
                    <span className="flex flex-wrap items-baseline justify-between gap-2">
                      <span className={open ? "text-2xl font-bold text-white" : "font-medium"}>{formatAmount(t.amount, t.currency)}</span>
                      <Badge tone={t.status === "SUCCESS" ? "success" : open ? "info" : "neutral"}>{t.status}</Badge>
                    </span>
                    <span className="block text-xs text-slate-300">
                      {TRANSACTION_KIND_LABELS[t.kind]}
                      {t.payment_method ? ` · ${t.payment_method}` : ""}
                      {t.refund_total_amount > 0 ? ` · refunded ${formatAmount(t.refund_total_amount, t.currency)}` : ""}
                    </span>
                    <span className="block break-all font-mono text-[11px] text-slate-400 dark:text-slate-300">{t.transaction_id}</span>
                    {open ? (
                      <div className="mt-2 grid grid-cols-3 gap-2">
                        {(["approve", "decline", "cancel"] as const).map((move) => (
                          <form key={move} action={actions.movePayment}>
                            <input type="hidden" name="terminalId" value={id} />
                            <input type="hidden" name="transactionId" value={t.transaction_id} />
                            <input type="hidden" name="move" value={move} />
                            <SubmitButton
                              size="sm"
                              variant={move === "approve" ? "primary" : "secondary"}
                              className="w-full"
                              aria-label={`${move[0]!.toUpperCase()}${move.slice(1)} ${formatAmount(t.amount, t.currency)}`}
                            >
                              {move === "approve" ? "Approve" : move === "decline" ? "Decline" : "Cancel"}
                            </SubmitButton>
                          </form>
                        ))}
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          ) : (
            <p className="mt-2 text-sm text-slate-300">No payment yet: a charge from Pairdesk shows here.</p>
          )}
        </div>

        <div className="border-t border-slate-800 pt-3">
          <h3 className={SCREEN_LABEL}>Last webhooks sent</h3>
          {webhooks.length > 0 ? (
            <ol className="mt-2 space-y-0.5 font-mono text-xs text-slate-300" data-testid="sim-webhooks">
              {webhooks.slice(0, WEBHOOKS_SHOWN).map((w) => (
                <li key={w.id} className="flex justify-between gap-2">
                  <span>
                    {w.tx_status}{" "}
                    <span className={w.state === "delivered" ? "text-green-300" : "text-amber-300"}>
                      {w.state}
                      {w.last_status !== null ? ` ${w.last_status}` : ""}
                      {w.fault ? ` (${w.fault.replace("webhook_", "")})` : ""}
                    </span>
                  </span>
                  <span className="text-slate-400 dark:text-slate-300">{formatClock(w.updated_at)}</span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="mt-2 text-xs text-slate-300" data-testid="sim-webhooks">
              None yet
            </p>
          )}
        </div>

        <div className="border-t border-slate-800 pt-3">
          <h3 className={SCREEN_LABEL}>Last calls from Pairdesk</h3>
          {calls.length > 0 ? (
            <ol className="mt-2 space-y-0.5 font-mono text-xs text-slate-300" data-testid="sim-calls">
              {calls.slice(0, CALLS_SHOWN).map((c, i) => (
                <li key={`${c.at}-${i}`} className="flex justify-between gap-2">
                  <span>
                    {c.call} <span className={c.status >= 400 ? "text-amber-300" : "text-green-300"}>{c.status}</span>
                  </span>
                  <span className="text-slate-400 dark:text-slate-300">{formatClock(c.at)}</span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="mt-2 text-xs text-slate-300" data-testid="sim-calls">
              None yet
            </p>
          )}
        </div>

        <details className="mt-auto rounded-lg bg-slate-900 px-3 py-2 text-sm ring-1 ring-slate-800">
          <summary className="cursor-pointer text-slate-200">
            Test switches{faults.length > 0 ? ` (${faults.length} armed)` : ""}
          </summary>
          <div className="mt-2 space-y-1.5">
            {SWITCHES.map((s) => (
              <form key={s.kind} action={actions.setFault}>
                <input type="hidden" name="terminalId" value={id} />
                <input type="hidden" name="kind" value={s.kind} />
                <SubmitButton
                  variant="secondary"
                  size="sm"
                  className="h-auto min-h-8 w-full justify-start whitespace-normal py-1.5 text-left"
                >
                  {s.label}
                </SubmitButton>
              </form>
            ))}
          </div>
          <div role="status" className="mt-2 text-xs text-slate-300">
            {faults.length > 0 ? (
              <ul className="list-disc space-y-0.5 pl-4" data-testid="sim-faults">
                {faults.map((f) => (
                  <li key={f.id}>{describeFault(f)}</li>
                ))}
              </ul>
            ) : (
              <p data-testid="sim-faults">No switch armed</p>
            )}
          </div>
          {faults.length > 0 ? (
            <form action={actions.clearFaults} className="mt-2">
              <input type="hidden" name="terminalId" value={id} />
              <SubmitButton variant="secondary" size="sm">
                Clear switches
              </SubmitButton>
            </form>
          ) : null}
        </details>
      </div>
    </section>
  );
}
