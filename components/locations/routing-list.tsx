import Link from "next/link";
import type { LocationDetail } from "@/lib/data/locations";
import { withMerchant } from "@/lib/lists/merchant-links";

/**
 * The location's routing as a list: "Till 1 → terminal T (sandbox, pairing “Front / Till 1”)" or
 * "Till 2: not routed". What the routing diagram also says, for a screen reader and a phone.
 */
export function RoutingList({
  registers,
  terminals,
  merchant = null,
}: {
  registers: LocationDetail["registers"];
  terminals: LocationDetail["terminals"];
  /** The switcher's merchant (staff), kept on the links. */
  merchant?: number | null;
}) {
  if (registers.length === 0) return <p className="text-sm text-slate-600">No registers, so nothing to route yet.</p>;
  const byRef = new Map(terminals.map((t) => [t.ref, t]));
  return (
    <ul className="space-y-1.5 text-sm" aria-label="Routes of this location's registers" data-testid="routing-list">
      {registers.map((r) => {
        const terminal = r.terminalRef !== null ? byRef.get(r.terminalRef) : undefined;
        return (
          <li key={r.id} className={r.kind === "virtual" ? "pl-6" : undefined} data-testid="route-item">
            <Link href={withMerchant(`/registers/${r.id}`, merchant)} className="font-medium text-brand-700 underline-offset-4 hover:underline">
              {r.name}
            </Link>
            {r.kind === "virtual" ? <span className="text-slate-600"> (virtual)</span> : null}
            {terminal ? (
              <>
                {" "}
                <span aria-hidden>→</span>
                <span className="sr-only">routes to</span> terminal{" "}
                <Link href={withMerchant(`/terminals/${terminal.ref}`, merchant)} className="font-mono text-brand-700 underline-offset-4 hover:underline">
                  {terminal.terminalId}
                </Link>{" "}
                <span className="text-slate-700">
                  ({terminal.environment}
                  {terminal.pairingName ? `, pairing “${terminal.pairingName}”` : ", no active pairing"})
                </span>
              </>
            ) : (
              <span className="text-slate-700">: not routed</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
