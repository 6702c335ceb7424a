"use client";

import { Pencil } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { updateLocationAction } from "@/lib/registers/actions";
import { LocationFields } from "./location-fields";

type Location = { id: number; name: string; address: string; timeZone: string };

/** Renames a location, or changes its address or time zone, in a dialog. */
export function EditLocationDialog({ location, timeZones }: { location: Location; timeZones: readonly string[] }) {
  return (
    <ActionDialog
      trigger={
        <Button variant="secondary">
          <Pencil aria-hidden />
          Edit
          <span className="sr-only"> {location.name}</span>
        </Button>
      }
      title={`Edit ${location.name}`}
      description="Its registers and their routes stay as they are."
    >
      {(close) => <EditLocationForm location={location} timeZones={timeZones} onDone={close} />}
    </ActionDialog>
  );
}

function EditLocationForm({ location, timeZones, onDone }: { location: Location; timeZones: readonly string[]; onDone: () => void }) {
  const { formProps, pending, fieldErrors, formError } = useActionForm(updateLocationAction, { onSuccess: onDone });
  return (
    <form {...formProps} noValidate aria-label={`Edit ${location.name}`} className="space-y-4">
      <input type="hidden" name="locationId" value={location.id} />
      {formError ? (
        <Alert tone="danger" role="alert" data-testid="edit-location-error">
          {formError}
        </Alert>
      ) : null}
      <LocationFields idPrefix={`location-${location.id}`} errors={fieldErrors} timeZones={timeZones} defaults={location} />
      <DialogActions>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save location"}
        </Button>
      </DialogActions>
    </form>
  );
}
