"use client";

import { Eye, KeyRound } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { revealCredentialsAction } from "@/lib/pairing/actions";

function RevealForm({ pairingId }: { pairingId: number }) {
  // The credentials live only in this component's state: closing the dialog unmounts it.
  // No toast and no refresh: the dialog itself shows the result.
  const { state, formProps, pending, failed } = useActionForm(revealCredentialsAction, {
    successMessage: false,
    refresh: false,
  });
  if (state?.ok) {
    const c = state.data;
    const rows: [string, string | null][] = [
      ["client_id", c.clientId],
      ["client_secret", c.clientSecret],
      ["webhook_secret_key", c.webhookSecretKey],
    ];
    return (
      <div className="space-y-3" data-testid="revealed-credentials">
        <Alert tone="warning">
          Copy what you need now. Closing this dialog hides them; each later reveal asks for your password again
          and is recorded in the audit log.
        </Alert>
        <dl className="space-y-2 text-sm">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt className="font-medium text-slate-700">{label}</dt>
              <dd className="flex items-start gap-1">
                <span
                  className="min-w-0 flex-1 break-all rounded bg-slate-100 px-2 py-1 font-mono text-xs"
                  data-testid={`revealed-${label}`}
                >
                  {value ?? "(none issued)"}
                </span>
                {value ? <CopyButton value={value} label={label} className="flex-col items-end" /> : null}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    );
  }
  const formError = failed && !failed.fieldErrors?.password ? failed.error : null;
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="pairingId" value={pairingId} />
      {formError ? (
        <Alert tone="danger" role="alert">
          {formError}
        </Alert>
      ) : null}
      <Field id={`reveal-password-${pairingId}`} label="Your password" errors={failed?.fieldErrors?.password}>
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <DialogActions>
        <Button type="submit" disabled={pending}>
          <Eye aria-hidden />
          {pending ? "Checking…" : "Reveal"}
        </Button>
      </DialogActions>
    </form>
  );
}

export function RevealCredentialsDialog({ pairingId, name }: { pairingId: number; name: string }) {
  return (
    <ActionDialog
      trigger={
        <Button variant="secondary" size="sm">
          <KeyRound aria-hidden />
          Reveal credentials
        </Button>
      }
      title={`Reveal credentials of “${name}”`}
      description="Re-enter your password. Every reveal is recorded in the audit log."
    >
      {() => <RevealForm pairingId={pairingId} />}
    </ActionDialog>
  );
}
