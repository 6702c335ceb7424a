"use client";

import { RotateCw } from "lucide-react";
import { ActionButton } from "@/components/forms/action-button";
import { reprocessDeliveryAction } from "@/lib/webhooks/actions";

export function ReprocessButton({ deliveryId }: { deliveryId: number }) {
  return (
    <ActionButton
      action={reprocessDeliveryAction}
      fields={{ deliveryId }}
      icon={<RotateCw aria-hidden />}
      label="Reprocess"
      pendingLabel="Reprocessing…"
      errorTestId="reprocess-error"
    />
  );
}
