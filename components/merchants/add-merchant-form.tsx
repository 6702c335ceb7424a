"use client";

import { Plus } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { createMerchantAction } from "@/lib/merchants/actions";
import { MerchantFields } from "./merchant-fields";

/** Adds an active merchant: a name (unique, whatever its case) and an optional external reference. */
export function AddMerchantForm() {
  // A refused form keeps its values: the admin corrects only the field that was refused.
  const { formProps, pending, fieldErrors, formError } = useActionForm(createMerchantAction, {
    resetOnSuccess: true,
  });
  return (
    <form {...formProps} noValidate aria-label="Add a merchant" className="grid gap-4 sm:grid-cols-2">
      {formError ? (
        <Alert tone="danger" role="alert" className="sm:col-span-2" data-testid="add-merchant-error">
          {formError}
        </Alert>
      ) : null}
      <MerchantFields idPrefix="new-merchant" errors={fieldErrors} />
      <div className="sm:col-span-2">
        <Button type="submit" disabled={pending}>
          <Plus aria-hidden />
          {pending ? "Adding…" : "Add merchant"}
        </Button>
      </div>
    </form>
  );
}
