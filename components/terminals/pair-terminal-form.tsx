"use client";

import { Loader2 } from "lucide-react";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { pairTerminalAction } from "@/lib/actions/pairing";
import type { ActionResult } from "@/lib/actions/safe-action";

type EnvironmentOption = { value: "production" | "sandbox"; label: string; configured: boolean };

export function PairTerminalForm({
  requestKey,
  webhookUrl,
  environments,
}: {
  requestKey: string;
  webhookUrl: string;
  environments: EnvironmentOption[];
}) {
  const [state, formAction, pending] = useActionState<ActionResult | null, FormData>(pairTerminalAction, null);
  const failed = state && !state.ok ? state : null;
  const key = failed?.retryKey ?? requestKey;
  const defaultEnv = environments.find((e) => e.configured)?.value ?? "sandbox";
  const unknown = failed?.code === "outcome_unknown";
  const values = failed?.values ?? {};

  return (
    <form action={formAction} className="max-w-xl space-y-5" noValidate>
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
      <Field id="name" label="Name" hint="Shown in Pay-Connect and here, e.g. the shop and till." errors={failed?.fieldErrors?.name}>
        <Input name="name" maxLength={100} required autoComplete="off" defaultValue={values.name} />
      </Field>
      <Field id="otp" label="OTP" hint={'The one-time code shown on the terminal after "Generate Pay-Connect OTP", or given by support.'} errors={failed?.fieldErrors?.otp}>
        <Input name="otp" defaultValue={values.otp} required autoComplete="one-time-code" spellCheck={false} className="font-mono uppercase tracking-widest" />
      </Field>
      <Field id="environment" label="Environment" errors={failed?.fieldErrors?.environment}>
        <Select name="environment" defaultValue={values.environment ?? defaultEnv}>
          {environments.map((e) => (
            <option key={e.value} value={e.value}>
              {e.label}
              {e.configured ? "" : " (integrator id not configured)"}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        id="webhookUrl"
        label="Webhook URL"
        hint="Where Pay-Connect sends this pairing's transaction updates. Pre-filled with this app's webhook address: Pairdesk gives each pairing its own path under it when it pairs. Leave it unless you know better."
        errors={failed?.fieldErrors?.webhookUrl}
      >
        <Input name="webhookUrl" type="url" defaultValue={values.webhookUrl ?? webhookUrl} spellCheck={false} className="font-mono text-xs" />
      </Field>
      <Button type="submit" disabled={pending} aria-disabled={pending}>
        {pending ? <Loader2 aria-hidden className="animate-spin" /> : null}
        {pending ? "Pairing…" : "Pair terminal"}
      </Button>
    </form>
  );
}
