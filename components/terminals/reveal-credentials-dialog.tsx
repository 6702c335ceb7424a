"use client";

import { Eye, KeyRound } from "lucide-react";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { revealCredentialsAction } from "@/lib/actions/pairing";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { PairingCredentials } from "@/lib/pairing/credentials";

type RevealResult = ActionResult<PairingCredentials>;

function RevealForm({ pairingId }: { pairingId: number }) {
  // The credentials live only in this component's state: closing the dialog unmounts it.
  const [state, action, pending] = useActionState<RevealResult | null, FormData>(revealCredentialsAction, null);
  if (state?.ok) {
    const c = state.data;
    return (
      <div className="space-y-3" data-testid="revealed-credentials">
        <Alert tone="warning">Shown once. Copy what you need now; closing this dialog hides them again.</Alert>
        <dl className="space-y-2 text-sm">
          {[
            ["client_id", c.clientId],
            ["client_secret", c.clientSecret],
            ["webhook_secret_key", c.webhookSecretKey ?? "(none issued)"],
          ].map(([label, value]) => (
            <div key={label}>
              <dt className="font-medium text-slate-700">{label}</dt>
              <dd className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-xs" data-testid={`revealed-${label}`}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    );
  }
  const failed = state && !state.ok ? state : null;
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="pairingId" value={pairingId} />
      {failed && !failed.fieldErrors?.password ? (
        <Alert tone="danger" role="alert">
          {failed.error}
        </Alert>
      ) : null}
      <Field id={`reveal-password-${pairingId}`} label="Your password" errors={failed?.fieldErrors?.password}>
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" disabled={pending}>
        <Eye aria-hidden />
        {pending ? "Checking…" : "Reveal"}
      </Button>
    </form>
  );
}

export function RevealCredentialsDialog({ pairingId, name }: { pairingId: number; name: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm">
          <KeyRound aria-hidden />
          Reveal credentials
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Reveal credentials of “${name}”`}
        description="Re-enter your password. The reveal is recorded in the audit log."
      >
        {open ? <RevealForm pairingId={pairingId} /> : null}
      </DialogContent>
    </Dialog>
  );
}
