import { Search } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/input";
import { ENVIRONMENTS, type Environment } from "@/lib/domain";
import { ENVIRONMENT_LABELS } from "@/lib/labels";
import type { RegisterDetail, RoutableTerminal } from "@/lib/registers/queries";
import { RouteHereButton, type CurrentRoute } from "./route-controls";

/** How many paired terminals the picker lists; the page asks for one more, to know there are more. */
export const PICK_LIMIT = 20;

/** What the page reads for the picker: the environment and search from the URL, the merchant in the switcher, the rows. */
export type TerminalPickerData = {
  environment: Environment;
  tq: string;
  merchant: number | null;
  terminals: RoutableTerminal[];
};

/**
 * (a) Pick a paired terminal of the register's merchant: one environment (the current route's,
 * else sandbox) and a search, both in the URL (`?env=&tq=`), rendered on the server.
 */
export function TerminalPicker({
  register,
  current,
  summary,
  environment,
  tq,
  merchant,
  terminals,
}: {
  register: RegisterDetail;
  current: CurrentRoute;
  summary: { id: number; name: string };
} & TerminalPickerData) {
  const shown = terminals.slice(0, PICK_LIMIT);
  return (
    <section aria-labelledby="pick-title" id="pick-terminal" className="space-y-3">
      <h3 id="pick-title" className="font-semibold">
        {current ? "Move to another paired terminal" : "Route to a paired terminal"}
      </h3>
      <form method="get" action={`/registers/${register.id}#pick-terminal`} role="search" aria-label="Find a paired terminal" className="flex flex-wrap items-end gap-3">
        {merchant ? <input type="hidden" name="merchant" value={merchant} /> : null}
        <div className="space-y-1.5">
          <Label htmlFor="pick-env">Environment</Label>
          <Select id="pick-env" name="env" defaultValue={environment}>
            {ENVIRONMENTS.map((e) => (
              <option key={e} value={e}>
                {ENVIRONMENT_LABELS[e]}
              </option>
            ))}
          </Select>
        </div>
        <div className="min-w-0 flex-1 basis-56 space-y-1.5">
          <Label htmlFor="pick-q">Terminal ID or pairing name</Label>
          <Input id="pick-q" name="tq" type="search" defaultValue={tq} maxLength={100} autoComplete="off" />
        </div>
        <Button type="submit" variant="secondary">
          <Search aria-hidden />
          Find terminals
        </Button>
      </form>
      {shown.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="no-routable">
          {tq
            ? `No paired ${environment} terminal of this merchant matches “${tq}”.`
            : `This merchant has no paired ${environment} terminal yet: pair one below.`}
        </p>
      ) : (
        <ul aria-label="Paired terminals" className="divide-y divide-slate-100 rounded-md border border-slate-200 text-sm" data-testid="routable-terminals">
          {shown.map((t) => (
            <li key={t.terminalRef} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2" data-testid="routable-terminal" data-terminal={t.terminalId}>
              <span className="min-w-0 space-y-0.5">
                <span className="block font-mono font-medium">{t.terminalId}</span>
                <span className="block text-xs text-slate-600">
                  {t.pairingName} · {t.registers === 0 ? "no registers" : `${t.registers} register${t.registers === 1 ? "" : "s"}`}
                </span>
              </span>
              {current?.terminalRef === t.terminalRef ? (
                <Badge tone="success">current route</Badge>
              ) : (
                <RouteHereButton register={summary} current={current} target={{ terminalRef: t.terminalRef, terminalId: t.terminalId }} />
              )}
            </li>
          ))}
        </ul>
      )}
      {terminals.length > PICK_LIMIT ? (
        <p className="text-xs text-slate-600">Showing the first {PICK_LIMIT}: search to narrow them down.</p>
      ) : null}
    </section>
  );
}
