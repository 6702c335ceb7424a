"use client";

import { RefreshCw } from "lucide-react";
import { ActionButton } from "@/components/forms/action-button";
import { refreshConfigurationAction } from "@/lib/transactions/actions";

export function RefreshConfigurationButton({ terminalRef }: { terminalRef: number }) {
  return (
    <ActionButton
      action={refreshConfigurationAction}
      fields={{ terminalId: terminalRef }}
      icon={<RefreshCw aria-hidden />}
      label="Refresh configuration"
      pendingLabel="Reading…"
      errorTestId="configuration-error"
    />
  );
}
