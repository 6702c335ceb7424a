/** What the pairing form offers, built on the server for every page that shows it. */
import "server-only";
import type { Role } from "../domain";
import { ENVIRONMENT_LABELS } from "../labels";
import { pairingProvider } from "../providers";

export type PairEnvironmentOption = {
  value: "production" | "sandbox";
  label: string;
  /** The provider's name, e.g. "Pay-Connect". */
  providerLabel: string;
  /** Why it cannot be chosen (a missing setting), or null. */
  unavailableReason: string | null;
  /** How long its pair call may take before the outcome is unknown. */
  pairTimeoutMs: number;
};

/** Sandbox first: the one to try a terminal in. */
const ENVIRONMENTS = (["sandbox", "production"] as const).map((value) => ({ value, label: ENVIRONMENT_LABELS[value] }));

const NOT_SET_UP = "It is not set up on this Pairdesk yet: ask an admin.";

export function pairEnvironmentOptions(role: Role): PairEnvironmentOption[] {
  return ENVIRONMENTS.map(({ value, label }) => {
    const provider = pairingProvider(value);
    return {
      value,
      label,
      providerLabel: provider.label,
      // The setting to change is for admins; support only needs to know whom to ask.
      unavailableReason: provider.unavailableReason && role !== "admin" ? NOT_SET_UP : provider.unavailableReason,
      pairTimeoutMs: provider.pairTimeoutMs,
    };
  });
}
