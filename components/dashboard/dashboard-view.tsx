"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import Link from "next/link";
import { TRANSACTION_STATUS_LABELS } from "@/lib/labels";
import { useRouter } from "next/navigation";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { EnvironmentBadge } from "@/components/ui/status-badges";
import { completeRecoveryAction } from "@/lib/pairing/actions";
import { formatDateTime } from "@/lib/format";
import { withMerchant } from "@/lib/lists/merchant-links";

export type DashboardData = {
  byEnvironment: {
    environment: "production" | "sandbox";
    total: number;
    paired: number;
    unpaired: number;
    neverPaired: number;
  }[];
  needsRecovery: {
    attemptId: number;
    environment: "production" | "sandbox";
    terminalId: string;
    name: string;
    spooledAt: string;
    by: string | null;
    /** Where the sealed credentials are: the recovery spool, only the server log, or nowhere. */
    source: "spool" | "log" | "missing";
  }[];
  unreadableSpoolFiles: string[];
  credentialsRefused: { terminalRef: number; terminalId: string; environment: "production" | "sandbox"; pairingName: string; since: number }[];
  payments: {
    todayByStatus: Record<string, number>;
    deliveriesToday: { accepted: number; rejected: number };
    poller: {
      lastRunAt: number | null;
      lagMs: number;
      lastRunErrors: number;
      errorsTotal: number;
      lastError: string | null;
      lastErrorAt: number | null;
    } | null;
    silentHours: number;
    silentTerminals: { id: number; terminalId: string; environment: "production" | "sandbox"; lastSeenAt: number | null; pairingName: string; pairedAt: number; isNew: boolean }[];
    moreSilent: boolean;
  };
};

function RecoverButton({ attemptId }: { attemptId: number }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  // The one form idiom; on success this row disappears, and the hook still toasts and navigates.
  const { pending, formError, formProps } = useActionForm(completeRecoveryAction, {
    successMessage: "Recovered.",
    refresh: false,
    onSuccess: (data) => {
      void queryClient.invalidateQueries({ queryKey: ["dashboard"] });
      router.push(`/terminals/${data.terminalRef}`);
    },
  });
  return (
    <form {...formProps} className="space-y-2">
      <input type="hidden" name="attemptId" value={attemptId} />
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? "Completing…" : "Complete pairing"}
      </Button>
      {formError ? (
        <p role="alert" className="text-sm text-red-700">
          {formError}
        </p>
      ) : null}
    </form>
  );
}

export function DashboardView({
  initial,
  canRecover,
  merchant,
}: {
  initial: DashboardData;
  canRecover: boolean;
  /** The switcher's merchant (staff), kept for each refresh. */
  merchant: number | null;
}) {
  const { data } = useQuery({
    queryKey: ["dashboard", merchant],
    queryFn: async (): Promise<DashboardData> => {
      const res = await fetch(merchant ? `/api/dashboard?merchant=${merchant}` : "/api/dashboard", { cache: "no-store" });
      if (!res.ok) throw new Error(`dashboard ${res.status}`);
      return res.json();
    },
    initialData: initial,
    refetchInterval: 15_000,
  });
  const envs = (["production", "sandbox"] as const).map(
    (e) =>
      data.byEnvironment.find((b) => b.environment === e) ?? { environment: e, total: 0, paired: 0, unpaired: 0, neverPaired: 0 },
  );
  return (
    <div className="space-y-6">
      {data.unreadableSpoolFiles.length > 0 ? (
        <Alert tone="danger" role="alert" title="Unreadable recovery spool files" data-testid="unreadable-spool">
          These files in the recovery spool cannot be read: {data.unreadableSpoolFiles.join(", ")}. They may hold a
          terminal&apos;s only credentials: keep them, and ask an operator to check them and the server log.
        </Alert>
      ) : null}
      {data.credentialsRefused.length > 0 ? (
        <Card className="border-red-400" data-testid="credentials-refused">
          <CardHeader className="flex items-center gap-2 bg-red-50">
            <AlertTriangle aria-hidden className="size-5 text-red-700" />
            <CardTitle>Credentials refused ({data.credentialsRefused.length})</CardTitle>
          </CardHeader>
          <CardBody className="space-y-3">
            <p className="text-sm text-slate-700">
              Pay-Connect refuses these pairings&apos; credentials (the terminal was unpaired on its own screen, or by Pay-Connect): no
              payment can go through them. Generate a new OTP on each terminal and pair it again.
            </p>
            <ul className="divide-y divide-slate-100">
              {data.credentialsRefused.map((r) => (
                <li key={r.terminalRef} className="flex flex-wrap items-baseline justify-between gap-2 py-2 text-sm">
                  <span className="min-w-0 [overflow-wrap:anywhere]">
                    <Link href={`/terminals/${r.terminalRef}`} className="font-mono text-brand-700 hover:underline">
                      {r.terminalId}
                    </Link>{" "}
                    {r.pairingName} · {r.environment}
                  </span>
                  <span className="text-slate-600">since {formatDateTime(new Date(r.since))}</span>
                </li>
              ))}
            </ul>
          </CardBody>
        </Card>
      ) : null}
      {data.needsRecovery.length > 0 ? (
        <Card className="border-amber-400" data-testid="needs-recovery">
          <CardHeader className="flex items-center gap-2 bg-amber-50">
            <AlertTriangle aria-hidden className="size-5 text-amber-700" />
            <CardTitle>Needs recovery ({data.needsRecovery.length})</CardTitle>
          </CardHeader>
          <CardBody className="space-y-3">
            <p className="text-sm text-slate-700">
              Pay-Connect paired these terminals but Pairdesk did not save the pairing. Their credentials are sealed with
              the vault key, in the recovery spool or, where it could not be written, in the server log.{" "}
              {canRecover ? "Complete each pairing once the database is healthy." : "An admin can complete them."}
            </p>
            <ul className="divide-y divide-slate-100">
              {data.needsRecovery.map((r) => (
                <li key={r.attemptId} data-source={r.source} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <div className="text-sm">
                    <p className="font-medium">
                      {r.name} · terminal <span className="font-mono">{r.terminalId || "unknown"}</span>
                    </p>
                    <p className="text-slate-600">
                      <EnvironmentBadge environment={r.environment} /> attempt #{r.attemptId}
                      {r.by ? ` by ${r.by}` : ""} · {formatDateTime(r.spooledAt)}
                    </p>
                  </div>
                  {r.source === "log" ? (
                    <Alert tone="danger" title="Credentials only in the server log">
                      The recovery spool could not be written, so the sealed credentials of attempt #{r.attemptId} are only
                      in the server log. On the server, run{" "}
                      <code className="font-mono">npm run recover -- --from-log &lt;server log file&gt;</code>, then complete
                      the pairing here.
                    </Alert>
                  ) : r.source === "missing" ? (
                    <Alert tone="danger">The spool file for this attempt is missing: the terminal must be re-paired.</Alert>
                  ) : canRecover ? (
                    <RecoverButton attemptId={r.attemptId} />
                  ) : null}
                </li>
              ))}
            </ul>
          </CardBody>
        </Card>
      ) : null}

      <section aria-labelledby="terminals-heading" className="grid gap-4 sm:grid-cols-2">
        <h2 id="terminals-heading" className="sr-only">
          Terminals by environment
        </h2>
        {envs.map((e) => (
          <Card key={e.environment}>
            <CardBody>
              <p className="text-sm font-medium capitalize text-slate-600">{e.environment}</p>
              <p className="mt-1 text-3xl font-semibold" data-testid={`count-${e.environment}`}>
                {e.total}
              </p>
              <p className="text-sm text-slate-600" data-testid={`breakdown-${e.environment}`}>
                {e.paired} paired · {e.unpaired} unpaired · {e.neverPaired} never paired
              </p>
              <Link href={withMerchant(`/terminals?environment=${e.environment}`, merchant)} className="mt-2 inline-block text-sm text-brand-700 underline-offset-4 hover:underline">
                View {e.environment} terminals
              </Link>
            </CardBody>
          </Card>
        ))}
      </section>

      <PaymentsSection data={data.payments} merchant={merchant} />
    </div>
  );
}

const STATUS_ORDER = ["INITIATED", "IN_PROGRESS", "SUCCESS", "DECLINED", "CANCELED", "REVERTED", "EXPIRED", "FAILED"] as const;

function seconds(ms: number) {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function PaymentsSection({ data, merchant }: { data: DashboardData["payments"]; merchant: number | null }) {
  const total = Object.values(data.todayByStatus).reduce((a, b) => a + b, 0);
  return (
    <section aria-labelledby="payments-heading" className="grid gap-4 lg:grid-cols-3" data-testid="dashboard-payments">
      <h2 id="payments-heading" className="sr-only">
        Payments
      </h2>
      <Card>
        <CardBody>
          <p className="text-sm font-medium text-slate-600">Transactions today (UTC)</p>
          <p className="mt-1 text-3xl font-semibold" data-testid="transactions-today">
            {total}
          </p>
          <ul className="mt-1 flex flex-wrap gap-x-3 text-sm text-slate-600" data-testid="transactions-by-status">
            {STATUS_ORDER.filter((st) => data.todayByStatus[st]).map((st) => (
              <li key={st}>
                <Link href={withMerchant(`/transactions?status=${st}`, merchant)} className="hover:underline">
                  {data.todayByStatus[st]} {TRANSACTION_STATUS_LABELS[st].toLowerCase()}
                </Link>
              </li>
            ))}
          </ul>
        </CardBody>
      </Card>
      <Card>
        <CardBody>
          <p className="text-sm font-medium text-slate-600">Webhook deliveries today</p>
          <p className="mt-1 text-3xl font-semibold" data-testid="deliveries-today">
            {data.deliveriesToday.accepted}
            <span className="text-base font-normal text-slate-600"> accepted</span>
          </p>
          <Link
            href={withMerchant("/webhooks?verdict=rejected", merchant)}
            className={data.deliveriesToday.rejected > 0 ? "text-sm font-medium text-red-700 hover:underline" : "text-sm text-slate-600 hover:underline"}
            data-testid="deliveries-rejected"
          >
            {data.deliveriesToday.rejected} refused
          </Link>
        </CardBody>
      </Card>
      <Card>
        <CardBody>
          <p className="text-sm font-medium text-slate-600">Status polling</p>
          {data.poller?.lastRunAt ? (
            <div data-testid="poller-figures" className="text-sm">
              {/* A poll is "due" on a schedule of seconds: under 5 s behind is on time. */}
              <p className="mt-1 text-3xl font-semibold">{data.poller.lagMs < 5_000 ? "On time" : `${seconds(data.poller.lagMs)} behind`}</p>
              <p className="text-slate-600">
                last run {formatDateTime(data.poller.lastRunAt)} · {data.poller.lastRunErrors} failed in it, {data.poller.errorsTotal} in all
              </p>
              {data.poller.lastError ? <p className="mt-1 text-xs text-red-700">Last failure: {data.poller.lastError}</p> : null}
            </div>
          ) : (
            <p className="mt-1 text-sm text-slate-600" data-testid="poller-figures">
              Not run yet: it starts with the server and polls transactions that are still open.
            </p>
          )}
        </CardBody>
      </Card>
      <Card className="lg:col-span-3" data-testid="silent-terminals">
        <CardHeader>
          <CardTitle>Paired terminals with no transaction for {data.silentHours} hours</CardTitle>
        </CardHeader>
        <CardBody>
          {data.silentTerminals.length === 0 ? (
            <p className="text-sm text-slate-600">None: every paired terminal saw a transaction in the last {data.silentHours} hours.</p>
          ) : (
            <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
              {data.silentTerminals.map((t) => (
                <li key={t.id} data-testid="silent-terminal" className="min-w-0 max-w-full [overflow-wrap:anywhere]">
                  <span className="font-medium">{t.pairingName}</span>{" "}
                  <Link href={withMerchant(`/terminals/${t.id}`, merchant)} className="font-mono text-brand-700 hover:underline">
                    {t.terminalId}
                  </Link>{" "}
                  <span className="text-slate-600">
                    {t.lastSeenAt
                      ? `last payment ${formatDateTime(new Date(t.lastSeenAt))}`
                      : t.isNew
                        ? "new, no payment yet"
                        : `no payment since it was paired, ${formatDateTime(new Date(t.pairedAt))}`}
                  </span>
                </li>
              ))}
              {data.moreSilent ? <li className="text-slate-600">and more</li> : null}
            </ul>
          )}
        </CardBody>
      </Card>
    </section>
  );
}
