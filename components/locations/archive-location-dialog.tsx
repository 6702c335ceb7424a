"use client";

import { Archive } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { archiveLocationAction } from "@/lib/registers/actions";

/**
 * Archives a location after saying what that does. The database refuses a location that still
 * has registers: the dialog says so beforehand (from the page's count) and then offers only
 * Close; a refusal (the count changed meanwhile) is shown as it comes.
 */
export function ArchiveLocationDialog({ locationId, name, registers }: { locationId: number; name: string; registers: number }) {
  return (
    <ActionDialog
      trigger={
        <Button variant="danger">
          <Archive aria-hidden />
          Archive
          <span className="sr-only"> {name}</span>
        </Button>
      }
      title={`Archive ${name}?`}
      description="It leaves the list of locations (it stays under Archived, read-only), and its name can be used again. Archiving cannot be undone."
    >
      {(close) => <ArchiveForm locationId={locationId} registers={registers} onDone={close} />}
    </ActionDialog>
  );
}

function ArchiveForm({ locationId, registers, onDone }: { locationId: number; registers: number; onDone: () => void }) {
  const { formProps, pending, failed } = useActionForm(archiveLocationAction, { onSuccess: onDone });
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="locationId" value={locationId} />
      {failed ? (
        <Alert tone="danger" role="alert" title="Not archived" data-testid="archive-location-error">
          {failed.error}
        </Alert>
      ) : registers > 0 ? (
        <Alert tone="warning" data-testid="archive-location-warning">
          It still has {registers} register{registers === 1 ? "" : "s"}: archive {registers === 1 ? "it" : "them"} first (virtual registers before their physical register).
        </Alert>
      ) : null}
      {/* Nothing to try while it has registers (the database would refuse it): Cancel alone. */}
      <DialogActions>
        {registers > 0 ? null : (
          <Button type="submit" variant="destructive" disabled={pending}>
            {pending ? "Archiving…" : "Archive location"}
          </Button>
        )}
      </DialogActions>
    </form>
  );
}
