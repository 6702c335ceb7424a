"use client";

import { Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/input";
import { createLocationAction } from "@/lib/registers/actions";
import { withMerchant } from "@/lib/lists/merchant-links";
import { LocationFields } from "./location-fields";
import { MerchantOptions } from "@/components/merchants/merchant-options";

/**
 * Whose location it is: a merchant admin's own merchant (no choice, the server sets it), or for
 * staff one of the active merchants (`preselected`: the switcher's merchant, or the only one).
 */
export type LocationMerchantChoice =
  | { kind: "own"; name: string }
  | { kind: "choose"; options: { id: number; name: string }[]; preselected: number | null };

/** "Add location": a dialog; a new location opens its page, where its registers are added. */
export function AddLocationDialog({
  merchant,
  timeZones,
  viewed = null,
}: {
  merchant: LocationMerchantChoice;
  timeZones: readonly string[];
  /** The switcher's merchant (staff), kept on the way to the new location. */
  viewed?: number | null;
}) {
  return (
    <ActionDialog
      trigger={
        <Button>
          <Plus aria-hidden />
          Add location
        </Button>
      }
      title="Add a location"
      description="A shop or site of the merchant. Its registers are added on its page next."
    >
      {(close) => <AddLocationForm merchant={merchant} timeZones={timeZones} viewed={viewed} onDone={close} />}
    </ActionDialog>
  );
}

function AddLocationForm({
  merchant,
  timeZones,
  viewed,
  onDone,
}: {
  merchant: LocationMerchantChoice;
  timeZones: readonly string[];
  viewed: number | null;
  onDone: () => void;
}) {
  const router = useRouter();
  const { formProps, pending, fieldErrors, formError } = useActionForm(createLocationAction, {
    refresh: false,
    onSuccess: ({ id }) => {
      onDone();
      router.push(withMerchant(`/locations/${id}`, viewed));
    },
  });
  const noMerchant = merchant.kind === "choose" && merchant.options.length === 0;
  return (
    <form {...formProps} noValidate aria-label="Add a location" className="space-y-4">
      {formError ? (
        <Alert tone="danger" role="alert" data-testid="add-location-error">
          {formError}
        </Alert>
      ) : null}
      {merchant.kind === "own" ? (
        <p className="text-sm text-slate-700" data-testid="location-merchant">
          For <strong className="font-semibold text-slate-900">{merchant.name}</strong>
        </p>
      ) : noMerchant ? (
        <Alert tone="warning" title="No merchant to add it to">
          Every location belongs to an active merchant, and there is none.{" "}
          <Link href="/merchants" className="font-medium underline">
            Add a merchant
          </Link>{" "}
          first.
        </Alert>
      ) : (
        <Field
          id="new-location-merchant"
          label="Merchant"
          hint="The merchant whose shop this is: its people will see it. Suspended merchants are not listed."
          errors={fieldErrors.merchantId}
        >
          <Select name="merchantId" defaultValue={merchant.preselected !== null ? String(merchant.preselected) : ""} required>
            <MerchantOptions options={merchant.options} />
          </Select>
        </Field>
      )}
      <LocationFields idPrefix="new-location" errors={fieldErrors} timeZones={timeZones} />
      <DialogActions>
        <Button type="submit" disabled={pending || noMerchant}>
          {pending ? "Adding…" : "Add location"}
        </Button>
      </DialogActions>
    </form>
  );
}
