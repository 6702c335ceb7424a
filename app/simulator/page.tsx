/**
 * The simulated terminal's screen. Public (it stands in for a device, which has no Pairdesk
 * sign-in) and served only when the simulator is enabled.
 */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/simulator/auto-refresh";
import { OtpCountdown } from "@/components/simulator/otp-countdown";
import { SubmitButton } from "@/components/simulator/submit-button";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { Input, Label } from "@/components/ui/input";
import { getEnv } from "@/lib/env";
import { FAULT_DESCRIPTIONS, listFaults, type Fault, type FaultKind } from "@/lib/simulator/faults";
import { getSimulator } from "@/lib/simulator/server";
import { currentOtp, listTerminals } from "@/lib/simulator/terminals";
import { cn } from "@/lib/utils";
import { addTerminalAction, clearFaultsAction, generateOtpAction, setFaultAction, unpairOnTerminalAction } from "./actions";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Simulated terminal" };

function formatTime(ms: number): string {
  return `${new Date(ms).toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" })} UTC`;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

function describeFault(f: Fault): string {
  const delay = f.delayMs !== null ? ` after ${seconds(f.delayMs)}` : "";
  const times = f.remaining > 1 ? `next ${f.remaining} calls` : "next call";
  const scope = f.terminalId ? ` of ${f.terminalId}` : "";
  return `${FAULT_DESCRIPTIONS[f.kind]}${delay} (${times}${scope})`;
}

const SWITCHES: { kind: FaultKind; label: string }[] = [
  { kind: "pair_500", label: "Fail next pair call (500)" },
  { kind: "pair_slow", label: "Delay next pair call past the timeout" },
  { kind: "pair_malformed", label: "Answer next pair call without client_secret" },
  { kind: "unpair_500", label: "Fail next unpair call (500)" },
];

export default async function SimulatorPage({
  searchParams,
}: {
  searchParams: Promise<{ terminal?: string | string[] }>;
}) {
  const sim = getSimulator();
  if (!sim) notFound();
  const env = getEnv();
  const { terminal: requested } = await searchParams;
  const terminals = listTerminals(sim);
  const selected =
    terminals.find((t) => t.terminalId === requested) ?? terminals[terminals.length - 1] ?? null;
  const otp = selected ? currentOtp(sim, selected.terminalId) : null;
  const active = selected?.pairings.filter((p) => p.status === "active") ?? [];
  const ended = selected?.pairings.filter((p) => p.status === "unpaired") ?? [];
  const faults = listFaults(sim);

  return (
    <main id="main" className="min-h-screen bg-slate-100">
      <AutoRefresh />
      <div className="mx-auto max-w-6xl px-6 py-8">
        <header className="mb-6 flex flex-wrap items-end justify-between gap-4">
          <div>
            <p className="text-sm font-semibold text-brand-700">Pairdesk simulator</p>
            <h1 className="text-2xl font-semibold tracking-tight">Simulated Pay-Connect terminals</h1>
            <p className="mt-1 max-w-2xl text-sm text-slate-600">
              Stand-ins for real payment terminals. Pairdesk reaches them through the Pay-Connect API
              served at <code className="rounded bg-white px-1 font-mono text-xs">/simulator/api</code>,
              exactly as it reaches the real one.
            </p>
          </div>
          <Link href="/" className="text-sm font-medium text-brand-700 underline underline-offset-4">
            Back to Pairdesk
          </Link>
        </header>

        <div className="grid gap-6 lg:grid-cols-[16rem_minmax(0,1fr)_18rem]">
          <Card>
            <CardHeader>
              <CardTitle>Terminals</CardTitle>
            </CardHeader>
            <CardBody className="space-y-4">
              {terminals.length > 0 ? (
                <nav aria-label="Simulated terminals">
                  <ul className="space-y-1">
                    {terminals.map((t) => {
                      const isSelected = t.terminalId === selected?.terminalId;
                      const paired = t.pairings.some((p) => p.status === "active");
                      return (
                        <li key={t.terminalId}>
                          <Link
                            href={`/simulator?terminal=${encodeURIComponent(t.terminalId)}`}
                            aria-current={isSelected ? "page" : undefined}
                            className={cn(
                              "block rounded-md px-3 py-2 text-sm hover:bg-slate-100",
                              isSelected && "bg-brand-50 ring-1 ring-brand-600/30",
                            )}
                          >
                            <span className="flex items-center justify-between gap-2">
                              <span className="truncate font-medium">{t.label}</span>
                              {paired ? <Badge tone="success">Paired</Badge> : null}
                            </span>
                            <span className="block font-mono text-xs text-slate-600">{t.terminalId}</span>
                          </Link>
                        </li>
                      );
                    })}
                  </ul>
                </nav>
              ) : (
                <p className="text-sm text-slate-600">No simulated terminal yet.</p>
              )}
              <form action={addTerminalAction} className="space-y-2 border-t border-slate-200 pt-4">
                <Label htmlFor="sim-terminal-label">Label (optional)</Label>
                <Input id="sim-terminal-label" name="label" maxLength={60} placeholder="e.g. Bar counter" />
                <SubmitButton variant="secondary" className="w-full">
                  Add simulated terminal
                </SubmitButton>
              </form>
            </CardBody>
          </Card>

          <section aria-labelledby="sim-screen-title" className="mx-auto w-full max-w-md">
            <div className="rounded-[2.5rem] bg-slate-800 p-4 shadow-2xl ring-1 ring-slate-900">
              <div className="flex min-h-[30rem] flex-col gap-5 rounded-[1.75rem] bg-slate-950 p-6 text-slate-100">
                <div className="flex items-center justify-between text-xs text-slate-400">
                  <span className="font-semibold tracking-wide">Pay-Connect</span>
                  <span>Simulated device</span>
                </div>
                {selected ? (
                  <>
                    <div>
                      <h2 id="sim-screen-title" className="text-lg font-semibold">
                        {selected.label}
                      </h2>
                      <p className="text-sm text-slate-300">
                        Terminal ID{" "}
                        <span data-testid="sim-terminal-id" className="font-mono text-slate-100">
                          {selected.terminalId}
                        </span>
                      </p>
                    </div>

                    <div className="rounded-xl bg-slate-900 px-5 py-6 text-center ring-1 ring-slate-800">
                      <div aria-live="polite" aria-atomic="true">
                        {otp ? (
                          <>
                            <p className="text-xs font-medium uppercase tracking-wider text-slate-400">
                              Pay-Connect OTP
                            </p>
                            <p
                              data-testid="sim-otp"
                              className="my-3 font-mono text-5xl font-bold tracking-[0.2em] text-white"
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

                    <form action={generateOtpAction}>
                      <input type="hidden" name="terminalId" value={selected.terminalId} />
                      <SubmitButton size="lg" className="h-16 w-full text-lg">
                        Generate Pay-Connect OTP
                      </SubmitButton>
                    </form>

                    <div className="mt-auto border-t border-slate-800 pt-4" data-testid="sim-pairing-status">
                      <h3 className="text-xs font-medium uppercase tracking-wider text-slate-400">Pairing status</h3>
                      {active.length > 0 ? (
                        <ul className="mt-2 space-y-1 text-sm">
                          {active.map((p) => (
                            <li key={p.payConnectId} className="flex flex-wrap items-center gap-2">
                              <Badge tone="success">Paired</Badge>
                              <span className="font-medium" data-testid="sim-paired-name">
                                {p.name}
                              </span>
                              <span className="text-xs text-slate-400">since {formatTime(p.createdAt)}</span>
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <p className="mt-2 text-sm text-slate-300">Not paired</p>
                      )}
                      {active.length > 0 && selected ? (
                        <form action={unpairOnTerminalAction} className="mt-3">
                          <input type="hidden" name="terminalId" value={selected.terminalId} />
                          <SubmitButton variant="secondary" size="sm">
                            Unpair on this terminal
                          </SubmitButton>
                        </form>
                      ) : null}
                      {ended.length > 0 ? (
                        <details className="mt-3 text-xs text-slate-400">
                          <summary className="cursor-pointer">Earlier pairings ({ended.length})</summary>
                          <ul className="mt-1 space-y-0.5">
                            {ended.map((p) => (
                              <li key={p.payConnectId}>
                                {p.name}: unpaired {p.unpairedAt !== null ? formatTime(p.unpairedAt) : ""}
                              </li>
                            ))}
                          </ul>
                        </details>
                      ) : null}
                    </div>
                  </>
                ) : (
                  <div className="flex flex-1 flex-col items-center justify-center text-center">
                    <h2 id="sim-screen-title" className="text-lg font-semibold">
                      No terminal
                    </h2>
                    <p className="mt-2 text-sm text-slate-300">Add a simulated terminal to see its screen.</p>
                  </div>
                )}
              </div>
            </div>
          </section>

          <Card>
            <CardHeader>
              <CardTitle>Test switches</CardTitle>
              <p className="mt-1 text-xs text-slate-600">
                Each switch applies to one call. A delayed call answers after{" "}
                {seconds(sim.defaultSlowDelayMs)} (Pairdesk gives up after{" "}
                {seconds(env.payConnect.pairTimeoutMs)} on pair, {seconds(env.payConnect.timeoutMs)} on
                other calls), and still completes.
              </p>
            </CardHeader>
            <CardBody className="space-y-4">
              <div className="space-y-2">
                {SWITCHES.map((s) => (
                  <form key={s.kind} action={setFaultAction}>
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
                <form action={clearFaultsAction}>
                  <SubmitButton variant="ghost" size="sm" className="w-full justify-start">
                    Clear switches
                  </SubmitButton>
                </form>
              </div>
              <div role="status" className="border-t border-slate-200 pt-3">
                <h3 className="text-sm font-medium text-slate-800">Active switches</h3>
                {faults.length > 0 ? (
                  <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-700" data-testid="sim-faults">
                    {faults.map((f) => (
                      <li key={f.id}>{describeFault(f)}</li>
                    ))}
                  </ul>
                ) : (
                  <p className="mt-1 text-sm text-slate-600" data-testid="sim-faults">
                    None
                  </p>
                )}
              </div>
            </CardBody>
          </Card>
        </div>
      </div>
    </main>
  );
}
