import { randomUUID } from "node:crypto";
import { ArrowLeft, Plus, Search } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { App2AppHandoff } from "@/components/registers/app2app-handoff";
import { ArchiveRegisterDialog, EditRegisterDialog } from "@/components/registers/register-manage-dialogs";
import { RegisterKindBadge, UnroutedBadge } from "@/components/registers/register-badges";
import { RouteHereButton, UnrouteDialog, type CurrentRoute } from "@/components/registers/route-controls";
import { PairedNotice } from "@/components/terminals/paired-notice";
import { PairTerminalForm } from "@/components/terminals/pair-terminal-form";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { Description, DescriptionList } from "@/components/ui/description-list";
import { Input, Label, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { ChargeDialog } from "@/components/transactions/charge-dialog";
import { chargeKinds } from "@/components/transactions/terminal-payments-card";
import { paymentMethodsOf } from "@/lib/transactions/configuration";
import { EnvironmentBadge } from "@/components/ui/status-badges";
import { pageAccess } from "@/lib/auth/access";
import { queryRegister, queryRoutableTerminals, type RegisterDetail, type RouteSummary } from "@/lib/registers/queries";
import type { QueryContext } from "@/lib/auth/scope";
import type { Environment } from "@/lib/domain";
import { getEnv } from "@/lib/env";
import { ENVIRONMENTS } from "@/lib/domain";
import { formatDateTime } from "@/lib/format";
import { parseMerchantId, withMerchant } from "@/lib/lists/merchant-links";
import { pairEnvironmentOptions } from "@/lib/pairing/form-options";
import { webhookEndpoint } from "@/lib/pairing/webhook-url";
import { can } from "@/lib/auth/permissions";
import { RULE_MESSAGES } from "@/lib/registers/rules";
import { ENVIRONMENT_LABELS } from "@/lib/labels";

export const metadata = { title: "Register" };

const PICK_LIMIT = 20;

type SearchParams = Record<string, string | string[] | undefined>;

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function RegisterPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  // No view: another merchant's register is not found (404), whatever the switcher says.
  const { user, ctx } = await pageAccess("registers:read");
  const { id } = await params;
  const search = await searchParams;
  const ref = Number(id);
  if (!/^\d{1,12}$/.test(id) || !Number.isSafeInteger(ref) || ref <= 0) notFound();
  const pairedParam = one(search.paired);
  const pairedId = pairedParam && /^\d{1,12}$/.test(pairedParam) ? Number(pairedParam) : undefined;
  const register = await queryRegister(ctx, ref, pairedId);
  if (!register) notFound();

  const merchant = parseMerchantId(one(search.merchant));
  const link = (href: string) => withMerchant(href, merchant);
  const staff = can(user.role, "merchants:read");
  const archived = register.archivedAt !== null;
  const frozen = archived || register.merchantStatus === "suspended";
  const mayManage = can(user.role, "registers:manage") && !frozen;
  const mayRoute = can(user.role, "registers:route") && !frozen;
  const mayPair = can(user.role, "pairing:create") && !frozen;
  // A routed register charges through its terminal (recorded as the charge's register).
  const kinds = register.route?.pairing && !archived ? chargeKinds(user.role, register.route.environment).filter((k) => k !== "independent_refund") : [];
  const chargeFrom =
    register.route && kinds.length > 0 ? (
      <ChargeDialog
        terminalRef={register.route.terminalRef}
        terminalId={register.route.terminalId}
        environment={register.route.environment}
        registerRef={register.id}
        registerName={register.name}
        currency={register.terminalConfig?.currency ?? null}
        paymentMethods={paymentMethodsOf(register.terminalConfig?.paymentMethods ?? null)}
        kinds={kinds}
        requestKey={randomUUID()}
      />
    ) : null;
  const current: CurrentRoute = register.route
    ? { terminalRef: register.route.terminalRef, terminalId: register.route.terminalId, otherRegisters: register.othersOnTerminal }
    : null;
  const summary = { id: register.id, name: register.name };

  return (
    <>
      <Link href={link("/registers")} className="mb-4 inline-flex items-center gap-1 text-sm text-brand-700 hover:underline">
        <ArrowLeft aria-hidden className="size-4" /> Registers
      </Link>
      <PageHeader
        title={register.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <RegisterKindBadge kind={register.kind} />
            {archived ? <Badge tone="neutral">archived</Badge> : null}
            <span>
              {register.kind === "virtual" ? "Virtual register" : "Register"} at{" "}
              <Link href={link(`/locations/${register.locationId}`)} className="font-medium text-brand-700 hover:underline">
                {register.locationName}
              </Link>
            </span>
            {staff ? (
              <span className="inline-flex items-center gap-1" data-testid="register-merchant">
                · {register.merchantName}
                {register.merchantStatus === "suspended" ? <Badge tone="warning">suspended</Badge> : null}
              </span>
            ) : null}
          </span>
        }
        actions={
          mayManage || chargeFrom ? (
            <>
              {chargeFrom}
              {mayManage ? (
                <>
                  <EditRegisterDialog register={{ id: register.id, name: register.name, externalRef: register.externalRef }} />
                  <ArchiveRegisterDialog
                    register={summary}
                    refusal={register.children.length > 0 ? RULE_MESSAGES.register_has_virtual : null}
                    routedTo={register.route?.terminalId ?? null}
                  />
                </>
              ) : null}
            </>
          ) : null
        }
      />
      {register.justPaired ? (
        <div className="mb-6 space-y-3">
          <PairedNotice name={register.justPaired.name} hasWebhookSecret={register.justPaired.hasWebhookSecret} />
          {register.justPaired.warning ? (
            <Alert tone="warning" title="Look at this pairing again" data-testid="paired-warning">
              {register.justPaired.warning}
            </Alert>
          ) : null}
        </div>
      ) : null}
      {archived ? (
        <Alert tone="warning" title="Archived" className="mb-6" data-testid="archived-notice">
          This register was archived {formatDateTime(register.archivedAt)}. It sends its payments nowhere, and nothing about it
          can change.
        </Alert>
      ) : register.merchantStatus === "suspended" ? (
        <Alert tone="warning" title="Merchant suspended" className="mb-6">
          Its merchant is suspended: nothing about this register can change until the merchant is reactivated.
        </Alert>
      ) : null}
      <div className="space-y-6">
        <RegisterFacts register={register} link={link} />
        {register.kind === "physical" && !archived ? (
          <VirtualRegisters register={register} link={link} mayAdd={mayManage} />
        ) : null}
        {!archived ? (
          <RouteCard
            register={register}
            link={link}
            current={current}
            summary={summary}
            mayRoute={mayRoute}
            mayPair={mayPair}
            role={user.role}
            search={search}
            ctx={ctx}
          />
        ) : null}
        {!archived && register.route?.pairing ? (
          <App2AppHandoff
            registerName={register.name}
            registerId={register.registerId}
            route={{
              terminalId: register.route.terminalId,
              payConnectId: register.route.pairing.payConnectId,
              environment: register.route.environment,
            }}
            integratorId={getEnv().payConnect[register.route.environment].integratorId}
          />
        ) : null}
      </div>
    </>
  );
}

function RegisterFacts({ register, link }: { register: RegisterDetail; link: (href: string) => string }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Register</CardTitle>
      </CardHeader>
      <CardBody>
        <DescriptionList>
          <Description
            label="Register ID"
            className="sm:col-span-2"
            copy={register.registerId}
            copyLabel="register ID"
            testId="register-id"
            mono
            valueClassName="text-sm"
            hint="What the POS sends for this register."
          >
            {register.registerId}
          </Description>
          <Description label="Kind">{register.kind === "virtual" ? "Virtual register" : "Physical register"}</Description>
          <Description label="Location">
            <Link href={link(`/locations/${register.locationId}`)} className="font-medium text-brand-700 hover:underline">
              {register.locationName}
            </Link>{" "}
            <span className="text-slate-600">({register.locationTimeZone})</span>
          </Description>
          {register.kind === "virtual" && register.parentId !== null ? (
            <Description label="Physical register">
              <Link href={link(`/registers/${register.parentId}`)} className="font-medium text-brand-700 hover:underline" data-testid="parent-link">
                {register.parentName}
              </Link>
            </Description>
          ) : null}
          <Description label="External reference" testId="external-ref">
            {register.externalRef ?? "—"}
          </Description>
          <Description label="Created">{formatDateTime(register.createdAt)}</Description>
        </DescriptionList>
      </CardBody>
    </Card>
  );
}

function RouteLine({ route, link }: { route: RouteSummary | null; link: (href: string) => string }) {
  if (!route) return <UnroutedBadge />;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Link href={link(`/terminals/${route.terminalRef}`)} className="font-mono font-medium text-brand-700 hover:underline">
        {route.terminalId}
      </Link>
      <EnvironmentBadge environment={route.environment} />
      {route.pairing ? <span className="text-slate-700">{route.pairing.name}</span> : null}
    </span>
  );
}

function VirtualRegisters({ register, link, mayAdd }: { register: RegisterDetail; link: (href: string) => string; mayAdd: boolean }) {
  return (
    <Card aria-labelledby="virtual-registers-title">
      <CardHeader className="flex flex-wrap items-center justify-between gap-2">
        <CardTitle id="virtual-registers-title">Virtual registers</CardTitle>
        {mayAdd ? (
          <Link
            href={link(`/locations/${register.locationId}?parent=${register.id}#add-register`)}
            className={buttonVariants({ variant: "secondary", size: "sm" })}
            data-testid="add-virtual-register"
          >
            <Plus aria-hidden />
            Add a virtual register
          </Link>
        ) : null}
      </CardHeader>
      <CardBody>
        {register.children.length === 0 ? (
          <p className="text-sm text-slate-600">
            None. A virtual register lets this register&apos;s POS reach another terminal, with its own register ID.
          </p>
        ) : (
          <ul aria-label={`Virtual registers of ${register.name}`} className="divide-y divide-slate-100 text-sm" data-testid="virtual-registers">
            {register.children.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="virtual-register">
                <Link href={link(`/registers/${c.id}`)} className="font-medium text-brand-700 hover:underline">
                  {c.name}
                </Link>
                <span className="inline-flex flex-wrap items-center gap-2">
                  <span className="text-xs text-slate-600">Routes to</span>
                  <RouteLine route={c.route} link={link} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}

function RouteCard({
  register,
  link,
  current,
  summary,
  mayRoute,
  mayPair,
  role,
  search,
  ctx,
}: {
  ctx: QueryContext;
  register: RegisterDetail;
  link: (href: string) => string;
  current: CurrentRoute;
  summary: { id: number; name: string };
  mayRoute: boolean;
  mayPair: boolean;
  role: Parameters<typeof pairEnvironmentOptions>[0];
  search: SearchParams;
}) {
  const others = register.othersOnTerminal;
  return (
    <Card aria-labelledby="route-title" data-testid="route-card">
      <CardHeader>
        <CardTitle id="route-title">Route</CardTitle>
      </CardHeader>
      <CardBody className="space-y-6">
        <div className="flex flex-wrap items-start justify-between gap-3" data-testid="current-route">
          {register.route ? (
            <div className="space-y-1 text-sm">
              <p>
                Sends its payments to <RouteLine route={register.route} link={link} />
              </p>
              <p className="text-slate-600" data-testid="others-on-terminal">
                {others === 0
                  ? "No other register uses this terminal."
                  : `${others} other register${others === 1 ? " uses" : "s use"} this terminal.`}
              </p>
              {register.routedAt ? <p className="text-xs text-slate-600">Routed {formatDateTime(register.routedAt)}</p> : null}
            </div>
          ) : (
            <p className="text-sm font-medium text-amber-900">Unrouted: this register sends its payments nowhere.</p>
          )}
          {mayRoute && current ? <UnrouteDialog register={summary} current={current} /> : null}
        </div>
        {mayRoute ? <TerminalPicker register={register} current={current} summary={summary} search={search} ctx={ctx} /> : null}
        {mayPair ? <PairHere register={register} role={role} /> : null}
      </CardBody>
    </Card>
  );
}

/**
 * (a) Pick a paired terminal of the register's merchant: one environment (the current route's,
 * else sandbox) and a search, both in the URL (`?env=&tq=`), rendered on the server.
 */
async function TerminalPicker({
  register,
  current,
  summary,
  search,
  ctx,
}: {
  register: RegisterDetail;
  current: CurrentRoute;
  summary: { id: number; name: string };
  search: SearchParams;
  ctx: QueryContext;
}) {
  const envParam = one(search.env);
  const environment: Environment =
    envParam && (ENVIRONMENTS as readonly string[]).includes(envParam) ? (envParam as Environment) : (register.route?.environment ?? "sandbox");
  const tq = (one(search.tq) ?? "").slice(0, 100);
  const merchant = parseMerchantId(one(search.merchant));
  const terminals = await queryRoutableTerminals(ctx, { merchantId: register.merchantId, environment, q: tq, limit: PICK_LIMIT + 1 });
  const shown = terminals.slice(0, PICK_LIMIT);
  return (
    <section aria-labelledby="pick-title" id="pick-terminal" className="space-y-3">
      <h3 id="pick-title" className="font-semibold">
        {current ? "Move to another paired terminal" : "Route to a paired terminal"}
      </h3>
      <form method="get" action={`/registers/${register.id}#pick-terminal`} role="search" aria-label="Find a paired terminal" className="flex flex-wrap items-end gap-3">
        {merchant ? <input type="hidden" name="merchant" value={merchant} /> : null}
        <div className="space-y-1.5">
          <Label htmlFor="pick-env">Environment</Label>
          <Select id="pick-env" name="env" defaultValue={environment}>
            {ENVIRONMENTS.map((e) => (
              <option key={e} value={e}>
                {ENVIRONMENT_LABELS[e]}
              </option>
            ))}
          </Select>
        </div>
        <div className="min-w-0 flex-1 basis-56 space-y-1.5">
          <Label htmlFor="pick-q">Terminal ID or pairing name</Label>
          <Input id="pick-q" name="tq" type="search" defaultValue={tq} maxLength={100} autoComplete="off" />
        </div>
        <Button type="submit" variant="secondary">
          <Search aria-hidden />
          Find terminals
        </Button>
      </form>
      {shown.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="no-routable">
          {tq
            ? `No paired ${environment} terminal of this merchant matches “${tq}”.`
            : `This merchant has no paired ${environment} terminal yet: pair one below.`}
        </p>
      ) : (
        <ul aria-label="Paired terminals" className="divide-y divide-slate-100 rounded-md border border-slate-200 text-sm" data-testid="routable-terminals">
          {shown.map((t) => (
            <li key={t.terminalRef} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2" data-testid="routable-terminal" data-terminal={t.terminalId}>
              <span className="min-w-0 space-y-0.5">
                <span className="block font-mono font-medium">{t.terminalId}</span>
                <span className="block text-xs text-slate-600">
                  {t.pairingName} · {t.registers === 0 ? "no registers" : `${t.registers} register${t.registers === 1 ? "" : "s"}`}
                </span>
              </span>
              {current?.terminalRef === t.terminalRef ? (
                <Badge tone="success">current route</Badge>
              ) : (
                <RouteHereButton register={summary} current={current} target={{ terminalRef: t.terminalRef, terminalId: t.terminalId }} />
              )}
            </li>
          ))}
        </ul>
      )}
      {terminals.length > PICK_LIMIT ? (
        <p className="text-xs text-slate-600">Showing the first {PICK_LIMIT}: search to narrow them down.</p>
      ) : null}
    </section>
  );
}

/** (b) Pair a new terminal here: the register routes to it in the same write. */
function PairHere({ register, role }: { register: RegisterDetail; role: Parameters<typeof pairEnvironmentOptions>[0] }) {
  return (
    <section aria-labelledby="pair-here-title" id="pair-here" className="space-y-3 border-t border-slate-200 pt-5">
      <h3 id="pair-here-title" className="font-semibold">
        Pair a new terminal for this register
      </h3>
      <p className="text-sm text-slate-600">
        Generate a Pay-Connect OTP on the terminal and type it here. Once it is paired, {register.name} sends its payments to it
        {register.route ? ` instead of ${register.route.terminalId}` : ""}. If the pair call fails, nothing changes.
      </p>
      <PairTerminalForm
        requestKey={randomUUID()}
        webhookEndpoint={webhookEndpoint()}
        environments={pairEnvironmentOptions(role)}
        merchant={{ kind: "own", name: register.merchantName }}
        target={{ kind: "register", registerId: register.id, defaultName: `${register.locationName} / ${register.name}`, merchantName: register.merchantName }}
        submitLabel="Pair and route here"
      />
    </section>
  );
}
