/**
 * The terminal page's payments card: the terminal's configuration as Pay-Connect reports it
 * (currency, time zone, payment methods) with Refresh, the Charge button for the roles that may
 * send one here, and a link to the terminal's transactions.
 */
import { randomUUID } from "node:crypto";
import Link from "next/link";
import { ChargeDialog, type ChargeKind } from "@/components/transactions/charge-dialog";
import { RefreshConfigurationButton } from "@/components/transactions/refresh-configuration-button";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { Description, DescriptionList } from "@/components/ui/description-list";
import type { Environment, Role } from "@/lib/domain";
import { formatDateTime } from "@/lib/format";
import { can } from "@/lib/auth/permissions";
import { CREDENTIALS_REFUSED_FIX } from "@/lib/pairing/credentials-state";
import { paymentMethodsOf } from "@/lib/transactions/configuration";
import { roleRefusal } from "@/lib/transactions/operations";

export type PaymentsTerminal = {
  id: number;
  terminalId: string;
  environment: Environment;
  currency: string | null;
  timeZone: string | null;
  paymentMethods: string | null;
  configFetchedAt: Date | null;
  configError: string | null;
};

export function chargeKinds(role: Role, environment: Environment): ChargeKind[] {
  if (roleRefusal(role, "charge", environment)) return [];
  return can(role, "transactions:operate") ? ["charge", "preauth", "independent_refund"] : ["charge"];
}

export function TerminalPaymentsCard({
  terminal,
  role,
  paired,
  webhookSecret,
  credentialsRefused = false,
  merchantSuspended = false,
}: {
  terminal: PaymentsTerminal;
  role: Role;
  paired: boolean;
  /** Pay-Connect refused the active pairing's credentials: no payment can go through it. */
  credentialsRefused?: boolean;
  /** The terminal's merchant is suspended: no operation can be sent (runOperation refuses it). */
  merchantSuspended?: boolean;
  /** Whether the active pairing has a webhook secret (null when there is no active pairing). */
  webhookSecret: boolean | null;
}) {
  const methods = paymentMethodsOf(terminal.paymentMethods);
  const kinds = paired && !credentialsRefused && !merchantSuspended ? chargeKinds(role, terminal.environment) : [];
  const why = !paired
    ? "Pair the terminal to send payments to it."
    : merchantSuspended
      ? "This terminal's merchant is suspended: no payment can be sent. Reactivate it on the Merchants page first."
    : credentialsRefused
      ? `Pay-Connect refuses this pairing's credentials, so no payment can be sent. ${CREDENTIALS_REFUSED_FIX}`
    : kinds.length === 0
      ? (roleRefusal(role, "charge", terminal.environment) ?? null)
      : null;
  return (
    <Card className="mb-6" data-testid="terminal-payments">
      <CardHeader className="flex flex-wrap items-center justify-between gap-2">
        <CardTitle>Payments</CardTitle>
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/transactions?terminal=${terminal.id}`} className="text-sm text-brand-700 hover:underline">
            Transactions of this terminal
          </Link>
          {kinds.length > 0 ? (
            <ChargeDialog
              terminalRef={terminal.id}
              terminalId={terminal.terminalId}
              environment={terminal.environment}
              currency={terminal.currency}
              paymentMethods={methods}
              kinds={kinds}
              requestKey={randomUUID()}
            />
          ) : null}
        </div>
      </CardHeader>
      <CardBody className="space-y-3 text-sm">
        {why ? <p className="text-slate-600" data-testid="charge-unavailable">{why}</p> : null}
        {webhookSecret === false ? (
          <p className="text-amber-800" data-testid="no-webhook-secret">
            This pairing has no webhook secret, so its webhooks cannot be verified and are refused: its transactions&apos; status comes from polling.
          </p>
        ) : null}
        <DescriptionList columns={3} className="gap-x-3" data-testid="terminal-configuration">
          <Description label="Currency">{terminal.currency ?? "not known yet"}</Description>
          <Description label="Time zone">{terminal.timeZone ?? "not known yet"}</Description>
          <Description label="Payment methods">{methods.length > 0 ? methods.join(", ") : "not known yet"}</Description>
        </DescriptionList>
        <p className="text-xs text-slate-600">
          {terminal.configFetchedAt ? `Read from Pay-Connect ${formatDateTime(terminal.configFetchedAt)}.` : "Not read from Pay-Connect yet."}
          {terminal.configError ? <span className="block text-red-700">Last try failed: {terminal.configError}</span> : null}
        </p>
        {paired && !merchantSuspended && can(role, "pairing:create") ? <RefreshConfigurationButton terminalRef={terminal.id} /> : null}
      </CardBody>
    </Card>
  );
}
