/**
 * The status badges shared by the terminal list, the terminal page, the attempts list and the
 * dashboard: one word per state, one colour per meaning (green = working, red = failed,
 * amber = needs a look, blue = in progress, grey = inactive).
 */
import type { AttemptStatus, Environment, PairingStatus } from "@/lib/domain";
import { ATTEMPT_STATUS_LABELS } from "@/lib/labels";
import { Badge } from "./badge";

type Tone = "neutral" | "success" | "warning" | "danger" | "info";

const PAIRING: Record<PairingStatus, { label: string; tone: Tone }> = {
  active: { label: "active", tone: "success" },
  replaced: { label: "replaced", tone: "neutral" },
  unpaired: { label: "unpaired", tone: "neutral" },
};

const ATTEMPT_TONES: Record<AttemptStatus, Tone> = {
  pending: "info",
  succeeded: "success",
  failed: "danger",
  outcome_unknown: "warning",
  needs_recovery: "warning",
};

export function PairingStatusBadge({ status }: { status: PairingStatus }) {
  const { label, tone } = PAIRING[status];
  return (
    <Badge tone={tone} data-status={status}>
      {label}
    </Badge>
  );
}

export function AttemptStatusBadge({ status }: { status: AttemptStatus }) {
  return (
    <Badge tone={ATTEMPT_TONES[status]} data-status={status}>
      {ATTEMPT_STATUS_LABELS[status]}
    </Badge>
  );
}

/** A terminal's state: paired, unpaired, or paired with credentials Pay-Connect refuses (pair again). */
export function TerminalStatusBadge({ paired, credentialsRefused = false }: { paired: boolean; credentialsRefused?: boolean }) {
  if (paired && credentialsRefused) {
    return (
      <Badge tone="danger" data-status="credentials_refused" title="Pay-Connect refuses this pairing's credentials: pair the terminal again with a new OTP.">
        credentials refused
      </Badge>
    );
  }
  return (
    <Badge tone={paired ? "success" : "neutral"} data-status={paired ? "paired" : "unpaired"}>
      {paired ? "paired" : "unpaired"}
    </Badge>
  );
}

export function EnvironmentBadge({ environment }: { environment: Environment }) {
  return (
    <Badge tone={environment === "production" ? "info" : "warning"} data-environment={environment}>
      {environment}
    </Badge>
  );
}
