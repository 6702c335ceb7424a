"use client";

import { RotateCw } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { reprocessDeliveryAction } from "@/lib/actions/transactions";

export function ReprocessButton({ deliveryId }: { deliveryId: number }) {
  const { formProps, pending, failed } = useActionForm(reprocessDeliveryAction);
  return (
    <form {...formProps} className="space-y-2">
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        <RotateCw aria-hidden />
        {pending ? "Reprocessing…" : "Reprocess"}
      </Button>
      {failed ? (
        <p role="alert" className="text-sm text-red-700" data-testid="reprocess-error">
          {failed.error}
        </p>
      ) : null}
    </form>
  );
}
