"use client";

import { Unlink } from "lucide-react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { unpairAction } from "@/lib/actions/pairing";
import type { ActionResult } from "@/lib/actions/safe-action";

export function UnpairDialog({ pairingId, name, terminalId }: { pairingId: number; name: string; terminalId: string }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const [state, action, pending] = useActionState<ActionResult | null, FormData>(unpairAction, null);

  useEffect(() => {
    if (state?.ok) {
      toast.success(state.message ?? "Unpaired.");
      setOpen(false);
      router.refresh();
    }
  }, [state, router]);

  const failed = state && !state.ok ? state : null;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="danger" size="sm">
          <Unlink aria-hidden />
          Unpair
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Unpair “${name}”?`}
        description={`Pay-Connect ends this pairing on terminal ${terminalId} and Pairdesk destroys its credentials. Pairing again needs a new OTP from the terminal.`}
      >
        <form action={action} className="space-y-4">
          <input type="hidden" name="pairingId" value={pairingId} />
          {failed ? (
            <Alert tone="danger" role="alert" title="Unpair failed" data-testid="unpair-error">
              {failed.error}
            </Alert>
          ) : null}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" variant="danger" disabled={pending}>
              {pending ? "Unpairing…" : "Unpair terminal"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
