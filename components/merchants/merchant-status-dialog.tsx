"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { setMerchantStatusAction } from "@/lib/merchants/actions";
import type { MerchantStatus } from "@/lib/domain";

/** Suspend (or reactivate) a merchant, after a dialog that says what it does. */
export function MerchantStatusDialog({
  merchant,
}: {
  merchant: { id: number; name: string; status: MerchantStatus; users: number };
}) {
  const suspended = merchant.status === "suspended";
  const verb = suspended ? "Reactivate" : "Suspend";
  const people = merchant.users === 1 ? "1 user" : `${merchant.users} users`;

  return (
    <ActionDialog
      trigger={
        <Button variant={suspended ? "secondary" : "danger"} size="sm">
          {verb}
          <span className="sr-only"> {merchant.name}</span>
        </Button>
      }
      title={`${verb} ${merchant.name}?`}
      description={
        suspended ? (
          "Its people can sign in again with their existing passwords, and terminals can be paired into it again."
        ) : (
          <>
            <span className="block">
              {merchant.users === 0
                ? "It has no users yet; none can sign in until it is reactivated."
                : `Its people (${people}) are signed out at once and cannot sign in until it is reactivated.`}
            </span>
            <span className="mt-1 block">Nothing can be paired into it meanwhile.</span>
            <span className="mt-1 block">
              Its terminals, pairings and audit entries are kept and stay readable by staff.
            </span>
          </>
        )
      }
    >
      {(close) => <MerchantStatusForm merchantId={merchant.id} suspended={suspended} onDone={close} />}
    </ActionDialog>
  );
}

function MerchantStatusForm({ merchantId, suspended, onDone }: { merchantId: number; suspended: boolean; onDone: () => void }) {
  const { formProps, pending, failed } = useActionForm(setMerchantStatusAction, { onSuccess: onDone });
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="merchantId" value={merchantId} />
      <input type="hidden" name="status" value={suspended ? "active" : "suspended"} />
      {failed ? (
        <Alert tone="danger" role="alert" data-testid="merchant-status-error">
          {failed.error}
        </Alert>
      ) : null}
      <DialogActions>
        <Button type="submit" variant={suspended ? "primary" : "destructive"} disabled={pending}>
          {pending ? `${suspended ? "Reactivating" : "Suspending"}…` : `${suspended ? "Reactivate" : "Suspend"} merchant`}
        </Button>
      </DialogActions>
    </form>
  );
}
