import Link from "next/link";
import { EnvironmentBadge } from "@/components/ui/status-badges";
import type { RouteSummary } from "@/lib/registers/queries";
import { UnroutedBadge } from "./register-badges";

/** Where a register sends its payments: the terminal, its environment and pairing, or "unrouted". */
export function RouteLine({ route, link }: { route: RouteSummary | null; link: (href: string) => string }) {
  if (!route) return <UnroutedBadge />;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Link href={link(`/terminals/${route.terminalRef}`)} className="font-mono font-medium text-brand-700 hover:underline">
        {route.terminalId}
      </Link>
      <EnvironmentBadge environment={route.environment} />
      {route.pairing ? <span className="text-slate-700">{route.pairing.name}</span> : null}
    </span>
  );
}
