"use client";

import { Unlink } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { unpairAction } from "@/lib/actions/pairing";

export function UnpairDialog({ pairingId, name, terminalId }: { pairingId: number; name: string; terminalId: string }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();

  function submit(formData: FormData) {
    setError(null);
    startTransition(async () => {
      // Called directly, not through useActionState: on success this dialog unmounts with its
      // pairing's controls, and the toast must still be shown.
      const result = await unpairAction(null, formData);
      if (result.ok) {
        toast.success(result.message ?? "Unpaired.");
        setOpen(false);
        router.refresh();
      } else {
        setError(result.error);
      }
    });
  }

  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), setError(null))}>
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
        <form action={submit} className="space-y-4">
          <input type="hidden" name="pairingId" value={pairingId} />
          {error ? (
            <Alert tone="danger" role="alert" title="Unpair failed" data-testid="unpair-error">
              {error}
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
