"use client";

import { ArrowRightLeft, Unlink } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/ui/action-dialog";
import { DialogActions } from "@/components/ui/dialog";
import { routeRegisterAction, unrouteRegisterAction } from "@/lib/registers/actions";

export type CurrentRoute = { terminalRef: number; terminalId: string; otherRegisters: number } | null;

/** What moving a routed register does, in the words the issue gives. */
function moveWarning(registerName: string, from: { terminalId: string; otherRegisters: number }, toTerminalId: string): string {
  const stays =
    from.otherRegisters === 0
      ? `${from.terminalId} stays paired; no other register uses it.`
      : `${from.terminalId} stays paired for its ${from.otherRegisters} other register${from.otherRegisters === 1 ? "" : "s"}.`;
  return `Register ${registerName} sends its payments to terminal ${from.terminalId}. Routing it to ${toTerminalId} moves it; ${stays}`;
}

/**
 * "Route here" beside a paired terminal. An unrouted register is routed at once (nothing moves);
 * a routed one first opens a dialog saying what moves and what stays. Both send the route the
 * page showed, so that a route changed meanwhile is refused rather than overwritten.
 */
export function RouteHereButton({
  register,
  current,
  target,
}: {
  register: { id: number; name: string };
  current: CurrentRoute;
  target: { terminalRef: number; terminalId: string };
}) {
  if (!current) return <RouteForm register={register} current={null} target={target} />;
  return (
    <ActionDialog
      trigger={
        <Button size="sm" variant="secondary" aria-label={`Route here: ${target.terminalId}`}>
          <ArrowRightLeft aria-hidden />
          Route here
        </Button>
      }
      title={`Move ${register.name} to ${target.terminalId}?`}
      description={moveWarning(register.name, current, target.terminalId)}
    >
      {(close) => <RouteForm register={register} current={current} target={target} confirm onDone={close} />}
    </ActionDialog>
  );
}

function RouteForm({
  register,
  current,
  target,
  confirm = false,
  onDone,
}: {
  register: { id: number; name: string };
  current: CurrentRoute;
  target: { terminalRef: number; terminalId: string };
  confirm?: boolean;
  onDone?: () => void;
}) {
  const { formProps, pending, failed } = useActionForm(routeRegisterAction, { onSuccess: onDone });
  return (
    <form {...formProps} className={confirm ? "space-y-4" : "inline-flex flex-col items-end gap-1"}>
      <input type="hidden" name="registerId" value={register.id} />
      <input type="hidden" name="terminalRef" value={target.terminalRef} />
      <input type="hidden" name="expectedTerminalRef" value={current ? String(current.terminalRef) : ""} />
      {failed ? (
        <Alert tone="danger" role="alert" title={confirm ? "Not moved" : undefined} data-testid="route-error">
          {failed.error}
        </Alert>
      ) : null}
      {confirm ? (
        <DialogActions>
          <Button type="submit" disabled={pending}>
            {pending ? "Moving…" : `Move to ${target.terminalId}`}
          </Button>
        </DialogActions>
      ) : (
        <Button type="submit" size="sm" variant="secondary" disabled={pending} aria-label={`Route here: ${target.terminalId}`}>
          <ArrowRightLeft aria-hidden />
          {pending ? "Routing…" : "Route here"}
        </Button>
      )}
    </form>
  );
}

/** Unroute: the register sends its payments nowhere; its terminal stays paired. */
export function UnrouteDialog({ register, current }: { register: { id: number; name: string }; current: NonNullable<CurrentRoute> }) {
  return (
    <ActionDialog
      trigger={
        <Button variant="danger" size="sm">
          <Unlink aria-hidden />
          Unroute
        </Button>
      }
      title={`Unroute ${register.name}?`}
      description={`${register.name} will send its payments nowhere until it is routed again. ${current.terminalId} stays paired.`}
    >
      {(close) => <UnrouteForm register={register} current={current} onDone={close} />}
    </ActionDialog>
  );
}

function UnrouteForm({
  register,
  current,
  onDone,
}: {
  register: { id: number; name: string };
  current: NonNullable<CurrentRoute>;
  onDone: () => void;
}) {
  const { formProps, pending, failed } = useActionForm(unrouteRegisterAction, { onSuccess: onDone });
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="registerId" value={register.id} />
      <input type="hidden" name="expectedTerminalRef" value={current.terminalRef} />
      {failed ? (
        <Alert tone="danger" role="alert" title="Not unrouted" data-testid="unroute-error">
          {failed.error}
        </Alert>
      ) : null}
      <DialogActions>
        <Button type="submit" variant="destructive" disabled={pending}>
          {pending ? "Unrouting…" : "Unroute register"}
        </Button>
      </DialogActions>
    </form>
  );
}
