/**
 * The simulated terminals' screens, side by side (a grid on a desktop, stacked on a phone).
 * Public (it stands in for devices, which have no Pairdesk sign-in) and served only when the
 * simulator is enabled. `?terminal=A&terminal=B` chooses the screens (lib/simulator/screens.ts).
 */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/simulator/auto-refresh";
import { SubmitButton } from "@/components/simulator/submit-button";
import { describeFault, seconds, TerminalScreen } from "@/components/simulator/terminal-screen";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import { getEnv } from "@/lib/env";
import { listCalls } from "@/lib/simulator/calls";
import { listFaults } from "@/lib/simulator/faults";
import { DEFAULT_SCREENS, MAX_SCREENS, requestedScreens, simulatorHref } from "@/lib/simulator/screens";
import { terminalsWithOpenPayments, terminalTransactions } from "@/lib/simulator/payment-rows";
import { expireOverdue } from "@/lib/simulator/payments";
import { autoApprove } from "@/lib/simulator/terminal-settings";
import { getSimulator } from "@/lib/simulator/server";
import { resumeWebhooks, terminalWebhooks } from "@/lib/simulator/webhooks";
import { currentOtp, getTerminalsWithPairings, pairedTerminalIds, recentTerminals } from "@/lib/simulator/terminals";
import { cn } from "@/lib/utils";
import {
  addTerminalAction,
  clearFaultsAction,
  movePaymentAction,
  setAutoApproveAction,
  generateOtpAction,
  setFaultAction,
  unpairOnTerminalAction,
} from "./actions";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Simulated terminals" };

/** How many terminals the list names (the newest). */
const LISTED = 30;

const SCREEN_ACTIONS = {
  generateOtp: generateOtpAction,
  unpairOnTerminal: unpairOnTerminalAction,
  setFault: setFaultAction,
  clearFaults: clearFaultsAction,
  movePayment: movePaymentAction,
  setAutoApprove: setAutoApproveAction,
};

export default async function SimulatorPage({
  searchParams,
}: {
  searchParams: Promise<{ terminal?: string | string[] }>;
}) {
  const sim = getSimulator();
  if (!sim) notFound();
  resumeWebhooks(sim);
  expireOverdue(sim);
  const env = getEnv();
  const { terminal: param } = await searchParams;
  const named = getTerminalsWithPairings(sim, requestedScreens(param));
  const recent = recentTerminals(sim, LISTED);
  // The bare address shows the terminals where a payment waits for someone first (the person at
  // the terminal is who this page is for), then the newest ones.
  const byDefault = [
    ...new Set([...terminalsWithOpenPayments(sim, DEFAULT_SCREENS), ...recent.terminals.map((t) => t.terminalId)]),
  ].slice(0, DEFAULT_SCREENS);
  const screens = named.length > 0 ? named : getTerminalsWithPairings(sim, byDefault);
  const shownIds = screens.map((t) => t.terminalId);
  // Only terminals named in the address stay beside a new one (see addTerminalAction).
  const explicitIds = named.map((t) => t.terminalId);
  const paired = pairedTerminalIds(sim, recent.terminals.map((t) => t.terminalId));
  const allFaults = listFaults(sim);
  const globalFaults = allFaults.filter((f) => f.terminalId === null);

  return (
    <main id="main" className="min-h-screen bg-slate-100">
      <AutoRefresh intervalMs={1500} />
      <div className="mx-auto max-w-[96rem] px-4 py-6 sm:px-6 sm:py-8">
        <header className="mb-6 flex flex-wrap items-end justify-between gap-4">
          <div>
            <p className="text-sm font-semibold text-brand-700">Pairdesk simulator</p>
            <h1 className="text-2xl font-semibold tracking-tight">Simulated Pay-Connect terminals</h1>
            <p className="mt-1 max-w-2xl text-sm text-slate-600">
              Stand-ins for real payment terminals, each with its own screen and OTP. Pairdesk reaches
              them through the Pay-Connect API served at{" "}
              <code className="rounded bg-white px-1 font-mono text-xs">/simulator/api</code>, exactly as it
              reaches the real one.
            </p>
          </div>
          <Link href="/" className="text-sm font-medium text-brand-700 underline underline-offset-4">
            Back to Pairdesk
          </Link>
        </header>

        <div className="grid grid-cols-1 gap-6 lg:grid-cols-[15rem_minmax(0,1fr)]">
          <div className="order-2 space-y-6 lg:order-1">
            <Card aria-labelledby="sim-terminals-title">
              <CardHeader>
                <CardTitle id="sim-terminals-title">Terminals</CardTitle>
              </CardHeader>
              <CardBody className="space-y-4">
                <form action={addTerminalAction} className="space-y-2">
                  {explicitIds.map((id) => (
                    <input key={id} type="hidden" name="shown" value={id} />
                  ))}
                  <Label htmlFor="sim-terminal-label">Label (optional)</Label>
                  <Input id="sim-terminal-label" name="label" maxLength={60} placeholder="e.g. Bar counter" />
                  <SubmitButton variant="secondary" className="w-full">
                    Add simulated terminal
                  </SubmitButton>
                  <p className="text-xs text-slate-600">
                    {explicitIds.length > 0
                      ? `Its screen opens beside the ones shown (up to ${MAX_SCREENS}).`
                      : "Its screen opens on its own; open others beside it from the list below."}
                  </p>
                </form>
                {recent.terminals.length > 0 ? (
                  <nav aria-label="Simulated terminals" className="border-t border-slate-200 pt-4">
                    <ul className="space-y-1">
                      {recent.terminals.map((t) => {
                        const isShown = shownIds.includes(t.terminalId);
                        const toggle = isShown
                          ? simulatorHref(shownIds.filter((id) => id !== t.terminalId))
                          : simulatorHref([...shownIds, t.terminalId]);
                        return (
                          <li
                            key={t.terminalId}
                            className={cn(
                              "rounded-md px-2 py-1.5 text-sm",
                              isShown && "bg-brand-50 ring-1 ring-brand-600/30",
                            )}
                          >
                            <span className="flex items-center justify-between gap-2">
                              <Link
                                href={simulatorHref([t.terminalId])}
                                aria-current={isShown && shownIds.length === 1 ? "page" : undefined}
                                className="min-w-0 truncate font-medium hover:underline"
                              >
                                {t.label}
                              </Link>
                              {paired.has(t.terminalId) ? <Badge tone="success">Paired</Badge> : null}
                            </span>
                            <span className="flex items-center justify-between gap-2">
                              <span className="font-mono text-xs text-slate-600">{t.terminalId}</span>
                              {isShown && shownIds.length === 1 ? null : (
                                <Link
                                  href={toggle}
                                  className="text-xs font-medium text-brand-700 underline underline-offset-2"
                                  aria-label={isShown ? `Hide ${t.label} (${t.terminalId})` : `Show ${t.label} (${t.terminalId}) beside`}
                                >
                                  {isShown ? "Hide" : "Show beside"}
                                </Link>
                              )}
                            </span>
                          </li>
                        );
                      })}
                    </ul>
                    {recent.total > recent.terminals.length ? (
                      <p className="mt-2 text-xs text-slate-600">
                        The newest {recent.terminals.length} of {recent.total}.
                      </p>
                    ) : null}
                  </nav>
                ) : null}
              </CardBody>
            </Card>

            <Card aria-labelledby="sim-switches-title">
              <CardHeader>
                <CardTitle id="sim-switches-title">Test switches</CardTitle>
              </CardHeader>
              <CardBody className="space-y-3 text-xs text-slate-600">
                <p>
                  Each screen has its own switches, for its terminal&apos;s next call. A delayed call
                  answers after {seconds(sim.defaultSlowDelayMs)} (Pairdesk gives up after{" "}
                  {seconds(env.payConnect.pairTimeoutMs)} on pair, {seconds(env.payConnect.timeoutMs)} on
                  other calls), and still completes.
                </p>
                <div role="status">
                  <h3 className="text-sm font-medium text-slate-800">For every terminal</h3>
                  {globalFaults.length > 0 ? (
                    <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-700" data-testid="sim-global-faults">
                      {globalFaults.map((f) => (
                        <li key={f.id}>{describeFault(f)}</li>
                      ))}
                    </ul>
                  ) : (
                    <p className="mt-1 text-sm text-slate-600" data-testid="sim-global-faults">
                      None
                    </p>
                  )}
                </div>
                {allFaults.length > 0 ? (
                  <form action={clearFaultsAction}>
                    <SubmitButton variant="ghost" size="sm" className="w-full justify-start">
                      Clear all {allFaults.length} armed, every terminal&apos;s
                    </SubmitButton>
                  </form>
                ) : null}
              </CardBody>
            </Card>
          </div>

          <div className="order-1 min-w-0 lg:order-2">
            {screens.length > 0 ? (
              <div
                className={cn(
                  "grid grid-cols-1 items-start gap-4",
                  screens.length === 1 && "max-w-md",
                  screens.length === 2 && "md:grid-cols-2 xl:max-w-4xl",
                  screens.length >= 3 && "md:grid-cols-2 xl:grid-cols-3",
                )}
              >
                {screens.map((t) => (
                  <TerminalScreen
                    key={t.terminalId}
                    terminal={t}
                    otp={currentOtp(sim, t.terminalId)}
                    calls={listCalls(sim, t.terminalId, 6)}
                    faults={allFaults.filter((f) => f.terminalId === t.terminalId)}
                    hideHref={screens.length > 1 ? simulatorHref(shownIds.filter((id) => id !== t.terminalId)) : null}
                    actions={SCREEN_ACTIONS}
                    payments={terminalTransactions(sim, t.terminalId, 5)}
                    webhooks={terminalWebhooks(sim, t.terminalId, 6)}
                    autoApprove={autoApprove(sim, t.terminalId)}
                  />
                ))}
              </div>
            ) : (
              <section
                aria-labelledby="sim-empty-title"
                className="mx-auto max-w-md rounded-[2rem] bg-slate-800 p-2.5 shadow-xl ring-1 ring-slate-900"
              >
                <div className="flex min-h-64 flex-col items-center justify-center rounded-[1.5rem] bg-slate-950 p-6 text-center text-slate-100">
                  <h2 id="sim-empty-title" className="text-lg font-semibold">
                    No terminal
                  </h2>
                  <p className="mt-2 text-sm text-slate-300">Add a simulated terminal to see its screen.</p>
                </div>
              </section>
            )}
          </div>
        </div>
      </div>
    </main>
  );
}
