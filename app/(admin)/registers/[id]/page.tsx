import { randomUUID } from "node:crypto";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { App2AppHandoff } from "@/components/registers/app2app-handoff";
import { ArchiveRegisterDialog, EditRegisterDialog } from "@/components/registers/register-manage-dialogs";
import { RegisterKindBadge } from "@/components/registers/register-badges";
import { RegisterFacts } from "@/components/registers/register-facts";
import { RouteCard } from "@/components/registers/route-card";
import type { CurrentRoute } from "@/components/registers/route-controls";
import { PICK_LIMIT, type TerminalPickerData } from "@/components/registers/terminal-picker";
import { VirtualRegisters } from "@/components/registers/virtual-registers";
import { PairedNotice } from "@/components/terminals/paired-notice";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { ChargeDialog } from "@/components/transactions/charge-dialog";
import { chargeKinds } from "@/components/transactions/terminal-payments-card";
import { paymentMethodsOf } from "@/lib/transactions/configuration";
import { pageAccess } from "@/lib/auth/access";
import { queryRegister, queryRoutableTerminals } from "@/lib/registers/queries";
import type { Environment } from "@/lib/domain";
import { getEnv } from "@/lib/env";
import { ENVIRONMENTS } from "@/lib/domain";
import { formatDateTime } from "@/lib/format";
import { parseMerchantId, withMerchant } from "@/lib/lists/merchant-links";
import { can } from "@/lib/auth/permissions";
import { RULE_MESSAGES } from "@/lib/registers/rules";

export const metadata = { title: "Register" };

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
  // (a) The terminal picker: one environment (the current route's, else sandbox) and a search, both in the URL (`?env=&tq=`).
  let picker: TerminalPickerData | null = null;
  if (!archived && mayRoute) {
    const envParam = one(search.env);
    const environment: Environment =
      envParam && (ENVIRONMENTS as readonly string[]).includes(envParam) ? (envParam as Environment) : (register.route?.environment ?? "sandbox");
    const tq = (one(search.tq) ?? "").slice(0, 100);
    const terminals = await queryRoutableTerminals(ctx, { merchantId: register.merchantId, environment, q: tq, limit: PICK_LIMIT + 1 });
    picker = { environment, tq, merchant, terminals };
  }

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
            picker={picker}
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
