"use client";

import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { disableUser, enableUser } from "@/lib/users/actions";

/** Disable (or enable) a user, after a confirmation dialog. */
export function UserStatusDialog({ userId, email, disabled }: { userId: number; email: string; disabled: boolean }) {
  const [open, setOpen] = useState(false);
  const { formProps, pending, failed } = useActionForm(disabled ? enableUser : disableUser, {
    successMessage: disabled ? "User enabled." : "User disabled.",
    onSuccess: () => setOpen(false),
  });
  const verb = disabled ? "Enable" : "Disable";

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant={disabled ? "secondary" : "danger"} size="sm">
          {verb}
          <span className="sr-only"> {email}</span>
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`${verb} ${email}?`}
        description={
          disabled
            ? "They can sign in again with their existing password. Their role is unchanged."
            : "They are signed out at once, everywhere, and cannot sign in until an admin enables them again. Their pairings and audit entries are kept."
        }
      >
        <form {...formProps} className="space-y-4">
          <input type="hidden" name="userId" value={userId} />
          {failed ? (
            <Alert tone="danger" role="alert" data-testid="user-status-error">
              {failed.error}
            </Alert>
          ) : null}
          <DialogActions>
            <Button type="submit" variant={disabled ? "primary" : "destructive"} disabled={pending}>
              {pending ? `${disabled ? "Enabling" : "Disabling"}…` : `${verb} user`}
            </Button>
          </DialogActions>
        </form>
      </DialogContent>
    </Dialog>
  );
}
