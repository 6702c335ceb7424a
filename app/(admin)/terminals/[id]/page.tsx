import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PairAgainLink } from "@/components/terminals/pair-again-link";
import { PairedNotice } from "@/components/terminals/paired-notice";
import { CREDENTIALS_REFUSED_FIX } from "@/lib/pairing/credentials-state";
import { hasOtherTerminalsName, pairingCheck } from "@/lib/pairing/pairing-check";
import { RenamePairingDialog, RenamePairingForm } from "@/components/terminals/rename-pairing";
import { RevealCredentialsDialog } from "@/components/terminals/reveal-credentials-dialog";
import { TerminalRegisters } from "@/components/terminals/terminal-registers";
import { TerminalPaymentsCard } from "@/components/transactions/terminal-payments-card";
import { UnpairDialog } from "@/components/terminals/unpair-dialog";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Description, DescriptionList } from "@/components/ui/description-list";
import { PageHeader } from "@/components/ui/page-header";
import { Badge } from "@/components/ui/badge";
import { EnvironmentBadge, PairingStatusBadge, TerminalStatusBadge } from "@/components/ui/status-badges";
import { pageAccess } from "@/lib/auth/access";
import { queryTerminalRegisters } from "@/lib/registers/queries";
import { queryTerminalDetail } from "@/lib/pairing/terminal-detail-queries";
import { formatDateTime } from "@/lib/format";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Terminal" };

const MASK = "••••••••••••";

export default async function TerminalPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ paired?: string }>;
}) {
  // No view: a terminal of another merchant is not found (404), whatever the switcher says.
  const { user, ctx } = await pageAccess("terminals:read");
  const { id } = await params;
  const { paired } = await searchParams;
  const ref = Number(id);
  if (!Number.isSafeInteger(ref) || ref <= 0) notFound();
  const detail = await queryTerminalDetail(ctx, ref);
  if (!detail) notFound();
  const { terminal, pairings, routedRegisterCount } = detail;
  const routed = await queryTerminalRegisters(ctx, terminal.id);
  const active = pairings.filter((p) => p.status === "active");
  const refused = active.find((p) => p.credentialsRefusedAt !== null);
  // A one-off notice: only for a pairing still active (PairedNotice drops `paired` from the URL).
  const justPaired = paired ? active.find((p) => String(p.id) === paired) : undefined;
  const mayReveal = can(user.role, "pairing:reveal");
  const mayUnpair = can(user.role, "pairing:unpair");
  // Nothing can be paired into a suspended merchant, nor sent through its pairing: no controls for it.
  const suspended = terminal.merchantStatus === "suspended";
  const mayPairAgain = can(user.role, "pairing:create") && !suspended;
  // A suspended merchant's pairings cannot be renamed (renamePairing refuses): no control for it.
  const mayRename = can(user.role, "pairing:rename") && terminal.merchantStatus !== "suspended";
  const justPairedCheck = justPaired ? pairingCheck(justPaired) : null;
  // Staff see whose terminal it is; a merchant's people see only their own merchant's pairings
  // (the query), and no merchant name at all.
  const staff = can(user.role, "merchants:read");
  // A terminal that moved from another merchant keeps its first pairing date; a merchant's
  // people see when they first paired it.
  const firstPaired = staff
    ? terminal.createdAt
    : pairings.reduce((min, p) => (p.createdAt < min ? p.createdAt : min), pairings[0]?.createdAt ?? terminal.createdAt);
  const note = mayReveal || mayUnpair ? null : user.role === "merchant-viewer" ? "Only your merchant's admins can unpair." : "Only an admin can reveal the credentials or unpair.";

  return (
    <>
      <Link href="/terminals" className="mb-4 inline-flex items-center gap-1 text-sm text-brand-700 hover:underline">
        <ArrowLeft aria-hidden className="size-4" /> Terminals
      </Link>
      <PageHeader
        title={`Terminal ${terminal.terminalId}`}
        titleAside={<CopyButton value={terminal.terminalId} label="terminal id" />}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <EnvironmentBadge environment={terminal.environment} />
            <TerminalStatusBadge paired={active.length > 0} credentialsRefused={!!refused} />
            {staff ? (
              <span className="inline-flex flex-wrap items-center gap-1" data-testid="terminal-merchant">
                Merchant{" "}
                <Link href={`/terminals?merchant=${terminal.merchantId}`} className="font-medium text-brand-700 hover:underline">
                  {terminal.merchantName}
                </Link>
                {terminal.merchantStatus === "suspended" ? <Badge tone="warning">suspended</Badge> : null}
              </span>
            ) : null}
            <span>First paired {formatDateTime(firstPaired)}</span>
          </span>
        }
        actions={mayPairAgain ? <PairAgainLink terminalRef={terminal.id} paired={active.length > 0} /> : null}
      />
      {justPaired && justPairedCheck ? (
        // Prominent, above the paired notice: the pair call answered for a terminal other than the
        // one meant (or the register could not be routed). The pairing is kept either way.
        <Alert tone="warning" role="alert" title="Check this pairing" className="mb-6" data-testid="pairing-warning">
          {justPairedCheck}
          {hasOtherTerminalsName(justPaired) && mayRename ? (
            // The name typed was meant for the other terminal: ask for this one's now.
            <div className="mt-3 max-w-md">
              <RenamePairingForm pairingId={justPaired.id} name={justPaired.name} terminalId={terminal.terminalId} idPrefix="mismatch-rename" />
            </div>
          ) : null}
        </Alert>
      ) : null}
      {refused ? (
        <Alert tone="danger" role="alert" title="Pay-Connect refuses this pairing's credentials" className="mb-6" data-testid="credentials-refused">
          Since {formatDateTime(refused.credentialsRefusedAt!)}, Pay-Connect has refused the credentials of “{refused.name}”: the terminal was probably
          unpaired on its own screen, or by Pay-Connect. No payment can go through it. {CREDENTIALS_REFUSED_FIX} (A later call that Pay-Connect accepts clears
          this, for example Refresh configuration.)
        </Alert>
      ) : null}
      {justPaired ? <PairedNotice name={justPaired.name} hasWebhookSecret={justPaired.hasWebhookSecret} /> : null}
      <TerminalPaymentsCard
        terminal={terminal}
        role={user.role}
        paired={active.length > 0}
        credentialsRefused={!!refused}
        merchantSuspended={suspended}
        webhookSecret={active[0] ? active[0].hasWebhookSecret : null}
      />
      <TerminalRegisters rows={routed} terminalId={terminal.terminalId} />
      <Card>
        <CardHeader>
          <CardTitle>Pairings</CardTitle>
        </CardHeader>
        <CardBody className="space-y-4">
          {pairings.length === 0 ? <p className="text-slate-600">No pairings.</p> : null}
          {pairings.map((p) => (
            <article
              key={p.id}
              aria-label={`Pairing ${p.name}`}
              data-testid={`pairing-${p.id}`}
              className="rounded-md border border-slate-200 p-4"
            >
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div>
                  <h3 className="font-semibold">{p.name}</h3>
                  <PairingStatusBadge status={p.status} />
                </div>
                {p.status === "active" && (mayReveal || mayUnpair || mayRename || note) ? (
                  <div className="flex flex-col items-end gap-2">
                    <div className="flex flex-wrap gap-2">
                      {mayRename ? <RenamePairingDialog pairingId={p.id} name={p.name} terminalId={terminal.terminalId} /> : null}
                      {mayReveal ? <RevealCredentialsDialog pairingId={p.id} name={p.name} /> : null}
                      {mayUnpair ? (
                        <UnpairDialog
                          pairingId={p.id}
                          name={p.name}
                          terminalId={terminal.terminalId}
                          registerCount={routedRegisterCount}
                        />
                      ) : null}
                    </div>
                    {note ? (
                      <p className="text-xs text-slate-600" data-testid="admin-only-note">
                        {note}
                      </p>
                    ) : null}
                  </div>
                ) : null}
              </div>
              {p.status === "replaced" ? (
                <p className="mt-2 text-sm text-slate-700" data-testid="replaced-by">
                  {p.replacedByName && p.replacedByCreatedAt
                    ? `Replaced by “${p.replacedByName}” (paired again ${formatDateTime(p.replacedByCreatedAt)}). Its credentials were destroyed; no unpair call was made.`
                    : "Replaced: the terminal was paired again. Its credentials were destroyed; no unpair call was made."}
                </p>
              ) : null}
              {pairingCheck(p) && p !== justPaired ? (
                <p className="mt-2 text-sm font-medium text-amber-900" data-testid="pairing-check">
                  Check: {pairingCheck(p)}
                </p>
              ) : null}
              <DescriptionList className="mt-3 gap-y-2">
                <Description label="Pairing id" mono copy={String(p.id)} testId="value-Pairing id">
                  {p.id}
                </Description>
                <Description label="pay_connect_id" mono copy={p.payConnectId} testId="value-pay_connect_id">
                  {p.payConnectId}
                </Description>
                <Description label="client_id" mono copy={p.clientId} testId="value-client_id">
                  {p.clientId}
                </Description>
                <Description label="client_secret" mono>
                  {p.secretsStored > 0 ? `${MASK} (in the vault)` : "destroyed"}
                </Description>
                <Description label="webhook_secret_key" mono>
                  {!p.hasWebhookSecret ? "none issued" : p.secretsStored > 1 ? `${MASK} (in the vault)` : "destroyed"}
                </Description>
                <Description
                  label="Webhook URL"
                  mono
                  copy={p.webhookUrl ?? undefined}
                  testId={p.webhookUrl !== null ? "value-Webhook URL" : undefined}
                >
                  {p.webhookUrl ?? "none"}
                </Description>
                {staff && p.merchantId !== terminal.merchantId ? (
                  <Description label="Merchant" testId="pairing-merchant">
                    {p.merchantName} (the terminal has since moved)
                  </Description>
                ) : null}
                <Description label="Created">
                  {formatDateTime(p.createdAt)} by {p.createdBy}
                </Description>
                {p.endedAt ? (
                  <Description label={p.status === "unpaired" ? "Unpaired" : p.status === "replaced" ? "Replaced" : "Ended"}>
                    {formatDateTime(p.endedAt)}
                    {p.endedBy ? ` by ${p.endedBy}` : ""}
                  </Description>
                ) : null}
              </DescriptionList>
            </article>
          ))}
        </CardBody>
      </Card>
    </>
  );
}
