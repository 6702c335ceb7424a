import { Badge } from "@/components/ui/badge";
import type { RegisterKind } from "@/lib/domain";

/** "physical" / "virtual": one word per kind, as in the register's page and the CSV. */
export function RegisterKindBadge({ kind }: { kind: RegisterKind }) {
  return (
    <Badge tone={kind === "virtual" ? "info" : "neutral"}>
      {kind}
    </Badge>
  );
}

/** A register that sends its payments nowhere. */
export function UnroutedBadge() {
  return (
    <Badge tone="warning" data-testid="unrouted-badge">
      Unrouted
    </Badge>
  );
}

/** The register ID's first block, for lists (the full one is on the register's page). */
export function shortRegisterId(registerId: string): string {
  return `${registerId.slice(0, 8)}…`;
}
