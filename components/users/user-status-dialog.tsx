"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { ActionDialog } from "@/components/ui/action-dialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogActions } from "@/components/ui/dialog";
import { disableUser, enableUser } from "@/lib/users/actions";

/** Disable (or enable) a user, after a confirmation dialog. */
export function UserStatusDialog({ userId, email, disabled }: { userId: number; email: string; disabled: boolean }) {
  const verb = disabled ? "Enable" : "Disable";
  return (
    <ActionDialog
      trigger={
        <Button variant={disabled ? "secondary" : "danger"} size="sm">
          {verb}
          <span className="sr-only"> {email}</span>
        </Button>
      }
      title={`${verb} ${email}?`}
      description={
        disabled
          ? "They can sign in again with their existing password. Their role is unchanged."
          : "They are signed out at once, everywhere, and cannot sign in until an admin enables them again. Their pairings and audit entries are kept."
      }
    >
      {(close) => <UserStatusForm userId={userId} disabled={disabled} onDone={close} />}
    </ActionDialog>
  );
}

function UserStatusForm({ userId, disabled, onDone }: { userId: number; disabled: boolean; onDone: () => void }) {
  const { formProps, pending, failed } = useActionForm(disabled ? enableUser : disableUser, {
    successMessage: disabled ? "User enabled." : "User disabled.",
    onSuccess: onDone,
  });
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="userId" value={userId} />
      {failed ? (
        <Alert tone="danger" role="alert" data-testid="user-status-error">
          {failed.error}
        </Alert>
      ) : null}
      <DialogActions>
        <Button type="submit" variant={disabled ? "primary" : "destructive"} disabled={pending}>
          {pending ? `${disabled ? "Enabling" : "Disabling"}…` : `${disabled ? "Enable" : "Disable"} user`}
        </Button>
      </DialogActions>
    </form>
  );
}
