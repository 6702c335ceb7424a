"use client";

import { Loader2, Store } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { pairTerminalAction } from "@/lib/pairing/actions";
import type { PairEnvironmentOption } from "@/lib/pairing/form-options";
import { normalizeOtp } from "@/lib/pairing/otp";
import { MerchantOptions } from "@/components/merchants/merchant-options";

/**
 * Whom the terminal is paired for. A merchant's people pair into their own merchant; staff choose
 * among the active merchants (`preselected`: the switcher's merchant, or the only one).
 */
export type PairMerchantChoice =
  | { kind: "own"; name: string }
  | { kind: "choose"; options: { id: number; name: string }[]; preselected: number | null; mayManage: boolean };

/**
 * What the form pairs: a new terminal (the Pair page), a terminal for a register (its page: the
 * register routes to it, in the register's merchant), or the same terminal again (its page: its
 * merchant and environment; the current pairing is replaced).
 */
export type PairTarget =
  | { kind: "new" }
  | { kind: "register"; registerId: number; defaultName: string; merchantName: string }
  | { kind: "again"; terminalRef: number; terminalId: string; environment: "production" | "sandbox"; merchantName: string; defaultName: string };

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} second${s === 1 ? "" : "s"}`;
}

export function PairTerminalForm({
  requestKey,
  webhookEndpoint,
  environments,
  merchant: merchantChoice,
  target = { kind: "new" },
  submitLabel = "Pair terminal",
}: {
  requestKey: string;
  merchant: PairMerchantChoice;
  target?: PairTarget;
  submitLabel?: string;
  /** This app's webhook endpoint; the server adds a fresh token for each pairing. */
  webhookEndpoint: string;
  environments: PairEnvironmentOption[];
}) {
  // The one form idiom; a success redirects to the terminal's page (the action's redirect).
  const { failed, pending, formProps } = useActionForm(pairTerminalAction, { successMessage: false, refresh: false });
  // A register's or terminal's merchant is the pairing's: no choice.
  const merchant: PairMerchantChoice = target.kind === "new" ? merchantChoice : { kind: "own", name: target.merchantName };
  const fixedEnvironment = target.kind === "again" ? target.environment : null;
  const key = failed?.retryKey ?? requestKey;
  const values = failed?.values ?? {};
  const defaultEnv =
    fixedEnvironment ?? environments.find((e) => !e.unavailableReason)?.value ?? environments[0]?.value ?? "sandbox";
  const [environment, setEnvironment] = useState<string>(values.environment ?? defaultEnv);
  // Controlled, so that it survives a failed submit (the server never echoes an OTP back) and
  // shows exactly what will be sent.
  const [otp, setOtp] = useState("");
  const chosen = environments.find((e) => e.value === environment) ?? environments[0];
  const unknown = failed?.code === "outcome_unknown";
  const unavailable = environments.filter((e) => e.unavailableReason);
  // Controlled, so that a failed attempt keeps the chosen merchant.
  const [merchantId, setMerchantId] = useState<string>(
    values.merchantId ?? (merchant.kind === "choose" && merchant.preselected !== null ? String(merchant.preselected) : ""),
  );
  const noMerchant = merchant.kind === "choose" && merchant.options.length === 0;

  return (
    <form {...formProps} className="max-w-xl space-y-5" noValidate>
      {failed ? (
        <Alert
          tone={unknown || failed.code === "needs_recovery" ? "warning" : "danger"}
          role="alert"
          title={
            unknown
              ? "Outcome unknown"
              : failed.code === "needs_recovery"
                ? "Paired, but not saved: needs recovery"
                : failed.code === "invalid"
                  ? "Check the form"
                  : "Pairing failed"
          }
          data-testid="pair-error"
        >
          {failed.error}
        </Alert>
      ) : null}
      <input type="hidden" name="requestKey" value={key} />
      {target.kind === "register" ? <input type="hidden" name="registerId" value={target.registerId} /> : null}
      {target.kind === "again" ? <input type="hidden" name="terminalRef" value={target.terminalRef} /> : null}
      {merchant.kind === "own" ? (
        <p className="flex items-center gap-2 text-sm text-slate-700" data-testid="pair-merchant">
          <Store aria-hidden className="size-4 shrink-0 text-slate-500" />
          <span>
            Pairing into <strong className="font-semibold text-slate-900">{merchant.name}</strong>
          </span>
        </p>
      ) : noMerchant ? (
        <Alert tone="warning" title="No merchant to pair into" data-testid="no-merchant">
          Every terminal belongs to a merchant, and there is no active merchant yet.{" "}
          {merchant.mayManage ? (
            <>
              Create one on the{" "}
              <Link href="/merchants" className="font-medium underline">
                Merchants
              </Link>{" "}
              page first.
            </>
          ) : (
            "Ask an admin to create one."
          )}
        </Alert>
      ) : (
        <Field
          id="merchantId"
          label="Merchant"
          hint="The merchant this terminal belongs to: its people will see it. Suspended merchants are not listed."
          errors={failed?.fieldErrors?.merchantId}
        >
          <Select name="merchantId" value={merchantId} onChange={(e) => setMerchantId(e.target.value)} required>
            <MerchantOptions options={merchant.options} />
          </Select>
        </Field>
      )}
      <Field id="name" label="Name" hint="Shown in Pay-Connect and here, e.g. the shop and till." errors={failed?.fieldErrors?.name}>
        <Input
          name="name"
          maxLength={100}
          required
          autoComplete="off"
          defaultValue={values.name ?? (target.kind === "new" ? undefined : target.defaultName)}
        />
      </Field>
      <Field
        id="otp"
        label="OTP"
        hint={'The one-time code shown on the terminal after "Generate Pay-Connect OTP", or given by support. Spaces are left out; letters are sent as you type them.'}
        errors={failed?.fieldErrors?.otp}
      >
        <Input
          name="otp"
          value={otp}
          onChange={(e) => setOtp(normalizeOtp(e.target.value))}
          required
          autoComplete="one-time-code"
          autoCorrect="off"
          spellCheck={false}
          className="font-mono tracking-widest"
        />
      </Field>
      {fixedEnvironment ? (
        <p className="text-sm text-slate-700" data-testid="pair-environment">
          <input type="hidden" name="environment" value={fixedEnvironment} />
          Environment: <strong className="font-semibold text-slate-900">{fixedEnvironment}</strong> (the terminal&apos;s)
        </p>
      ) : (
      <Field
        id="environment"
        label="Environment"
        hint={
          unavailable.length > 0 ? (
            <span data-testid="environment-unavailable">
              {unavailable.map((e) => (
                <span key={e.value} className="block">
                  {e.label} cannot be chosen. {e.unavailableReason}
                </span>
              ))}
            </span>
          ) : undefined
        }
        errors={failed?.fieldErrors?.environment}
      >
        <Select name="environment" defaultValue={values.environment ?? defaultEnv} onChange={(e) => setEnvironment(e.target.value)}>
          {environments.map((e) => (
            <option key={e.value} value={e.value} disabled={Boolean(e.unavailableReason)}>
              {e.label}
              {e.unavailableReason ? " (not configured)" : ""}
            </option>
          ))}
        </Select>
      </Field>
      )}
      <details className="rounded-md border border-slate-200 px-4 py-3" open={Boolean(values.webhookUrl || failed?.fieldErrors?.webhookUrl)}>
        <summary className="cursor-pointer text-sm font-medium text-slate-800">Advanced</summary>
        <div className="mt-3 space-y-4">
          <div className="space-y-1 text-sm">
            <p className="font-medium text-slate-800">Webhook URL</p>
            <p className="break-all font-mono text-xs text-slate-700" data-testid="webhook-default">
              {webhookEndpoint}
              <span className="text-slate-500">‹a new secret token›</span>
            </p>
            <p className="text-xs text-slate-600">
              Where {chosen?.providerLabel ?? "the provider"} sends this pairing&apos;s transaction updates. Pairdesk makes the
              token, the last part, for each pairing when it pairs; the terminal&apos;s page shows the full URL afterwards.
            </p>
          </div>
          <Field
            id="webhookUrl"
            label="Another webhook URL"
            hint="Only if this pairing's updates must go somewhere else (https; http only for localhost). Leave empty to use Pairdesk's own, above."
            errors={failed?.fieldErrors?.webhookUrl}
          >
            <Input name="webhookUrl" type="url" defaultValue={values.webhookUrl ?? ""} spellCheck={false} className="font-mono text-xs" />
          </Field>
        </div>
      </details>
      {pending ? (
        <Alert tone="info" data-testid="pair-pending">
          Waiting for {chosen?.providerLabel ?? "the provider"}&apos;s answer: this can take up to{" "}
          {seconds(chosen?.pairTimeoutMs ?? 0)}. Keep this page open and do not pair again meanwhile.
        </Alert>
      ) : null}
      <Button type="submit" disabled={pending || noMerchant} aria-disabled={pending || noMerchant}>
        {pending ? <Loader2 aria-hidden className="animate-spin" /> : null}
        {pending ? "Pairing…" : submitLabel}
      </Button>
    </form>
  );
}
