"use client";

import { useActionState, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { disableUser, enableUser } from "@/lib/actions/users";
import type { ActionResult } from "@/lib/actions/safe-action";

/** Disable (or enable) a user, after a confirmation dialog. */
export function UserStatusDialog({ userId, email, disabled }: { userId: number; email: string; disabled: boolean }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<ActionResult | null, FormData>(async (prev, formData) => {
    const result = await (disabled ? enableUser : disableUser)(prev, formData);
    if (result.ok) {
      toast.success(result.message ?? (disabled ? "User enabled." : "User disabled."));
      setOpen(false);
    }
    return result;
  }, null);

  const failed = state && !state.ok ? state : null;
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
        <form action={action} className="space-y-4">
          <input type="hidden" name="userId" value={userId} />
          {failed ? (
            <Alert tone="danger" role="alert" data-testid="user-status-error">
              {failed.error}
            </Alert>
          ) : null}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" variant={disabled ? "primary" : "danger"} disabled={pending}>
              {pending ? `${disabled ? "Enabling" : "Disabling"}…` : `${verb} user`}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
