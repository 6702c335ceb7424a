"use client";

import { RefreshCw } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { refreshConfigurationAction } from "@/lib/actions/transactions";

export function RefreshConfigurationButton({ terminalRef }: { terminalRef: number }) {
  const { formProps, pending, failed } = useActionForm(refreshConfigurationAction);
  return (
    <form {...formProps} className="space-y-2">
      <input type="hidden" name="terminalId" value={terminalRef} />
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        <RefreshCw aria-hidden />
        {pending ? "Reading…" : "Refresh configuration"}
      </Button>
      {failed ? (
        <p role="alert" className="text-sm text-red-700" data-testid="configuration-error">
          {failed.error}
        </p>
      ) : null}
    </form>
  );
}
