import { randomUUID } from "node:crypto";
import { PairTerminalForm } from "@/components/terminals/pair-terminal-form";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";
import { pairEnvironmentOptions } from "@/lib/pairing/form-options";
import { webhookEndpoint } from "@/lib/pairing/webhook-url";
import type { RegisterDetail } from "@/lib/registers/queries";
import { RouteLine } from "./route-line";
import { UnrouteDialog, type CurrentRoute } from "./route-controls";
import { TerminalPicker, type TerminalPickerData } from "./terminal-picker";

/** The register's route: where it sends its payments, (a) a paired terminal to route to, (b) a new one to pair here. */
export function RouteCard({
  register,
  link,
  current,
  summary,
  mayRoute,
  mayPair,
  role,
  picker,
}: {
  register: RegisterDetail;
  link: (href: string) => string;
  current: CurrentRoute;
  summary: { id: number; name: string };
  mayRoute: boolean;
  mayPair: boolean;
  role: Parameters<typeof pairEnvironmentOptions>[0];
  /** The terminal picker's rows and search, loaded by the page when the user may route. */
  picker: TerminalPickerData | null;
}) {
  const others = register.othersOnTerminal;
  return (
    <Card aria-labelledby="route-title" data-testid="route-card">
      <CardHeader>
        <CardTitle id="route-title">Route</CardTitle>
      </CardHeader>
      <CardBody className="space-y-6">
        <div className="flex flex-wrap items-start justify-between gap-3" data-testid="current-route">
          {register.route ? (
            <div className="space-y-1 text-sm">
              <p>
                Sends its payments to <RouteLine route={register.route} link={link} />
              </p>
              <p className="text-slate-600" data-testid="others-on-terminal">
                {others === 0
                  ? "No other register uses this terminal."
                  : `${others} other register${others === 1 ? " uses" : "s use"} this terminal.`}
              </p>
              {register.routedAt ? <p className="text-xs text-slate-600">Routed {formatDateTime(register.routedAt)}</p> : null}
            </div>
          ) : (
            <p className="text-sm font-medium text-amber-900">Unrouted: this register sends its payments nowhere.</p>
          )}
          {mayRoute && current ? <UnrouteDialog register={summary} current={current} /> : null}
        </div>
        {picker ? <TerminalPicker register={register} current={current} summary={summary} {...picker} /> : null}
        {mayPair ? <PairHere register={register} role={role} /> : null}
      </CardBody>
    </Card>
  );
}

/** (b) Pair a new terminal here: the register routes to it in the same write. */
function PairHere({ register, role }: { register: RegisterDetail; role: Parameters<typeof pairEnvironmentOptions>[0] }) {
  return (
    <section aria-labelledby="pair-here-title" id="pair-here" className="space-y-3 border-t border-slate-200 pt-5">
      <h3 id="pair-here-title" className="font-semibold">
        Pair a new terminal for this register
      </h3>
      <p className="text-sm text-slate-600">
        Generate a Pay-Connect OTP on the terminal and type it here. Once it is paired, {register.name} sends its payments to it
        {register.route ? ` instead of ${register.route.terminalId}` : ""}. If the pair call fails, nothing changes.
      </p>
      <PairTerminalForm
        requestKey={randomUUID()}
        webhookEndpoint={webhookEndpoint()}
        environments={pairEnvironmentOptions(role)}
        merchant={{ kind: "own", name: register.merchantName }}
        target={{ kind: "register", registerId: register.id, defaultName: `${register.locationName} / ${register.name}`, merchantName: register.merchantName }}
        submitLabel="Pair and route here"
      />
    </section>
  );
}
