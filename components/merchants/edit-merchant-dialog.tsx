"use client";

import { Pencil } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { updateMerchantAction } from "@/lib/merchants/actions";
import { MerchantFields } from "./merchant-fields";

type Merchant = { id: number; name: string; externalRef: string | null };

/** Renames a merchant or changes its external reference, in a dialog. */
export function EditMerchantDialog({ merchant }: { merchant: Merchant }) {
  return (
    <ActionDialog
      trigger={
        <Button variant="secondary" size="sm">
          <Pencil aria-hidden />
          Edit
          <span className="sr-only"> {merchant.name}</span>
        </Button>
      }
      title={`Edit ${merchant.name}`}
      description="Its terminals, people and history stay with it; pages and the audit log show the new name."
    >
      {(close) => <EditMerchantForm merchant={merchant} onDone={close} />}
    </ActionDialog>
  );
}

function EditMerchantForm({ merchant, onDone }: { merchant: Merchant; onDone: () => void }) {
  const { formProps, pending, fieldErrors, formError } = useActionForm(updateMerchantAction, { onSuccess: onDone });
  return (
    <form {...formProps} noValidate aria-label={`Edit ${merchant.name}`} className="space-y-4">
      <input type="hidden" name="merchantId" value={merchant.id} />
      {formError ? (
        <Alert tone="danger" role="alert" data-testid="edit-merchant-error">
          {formError}
        </Alert>
      ) : null}
      <MerchantFields idPrefix={`merchant-${merchant.id}`} errors={fieldErrors} defaults={merchant} />
      <DialogActions>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save merchant"}
        </Button>
      </DialogActions>
    </form>
  );
}
