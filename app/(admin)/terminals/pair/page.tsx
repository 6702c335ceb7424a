import { randomUUID } from "node:crypto";
import { PairTerminalForm, type PairEnvironmentOption } from "@/components/terminals/pair-terminal-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth";
import { webhookEndpoint } from "@/lib/pairing/webhook-url";
import { pairingProvider } from "@/lib/providers";

export const metadata = { title: "Pair a terminal" };

const ENVIRONMENTS = [
  { value: "sandbox", label: "Sandbox" },
  { value: "production", label: "Production" },
] as const;

const NOT_SET_UP = "It is not set up on this Pairdesk yet: ask an admin.";

export default async function PairTerminalPage() {
  const user = await requirePageUser("pairing:create");
  const environments: PairEnvironmentOption[] = ENVIRONMENTS.map(({ value, label }) => {
    const provider = pairingProvider(value);
    return {
      value,
      label,
      providerLabel: provider.label,
      // The setting to change is for admins; support only needs to know whom to ask.
      unavailableReason:
        provider.unavailableReason && user.role !== "admin" ? NOT_SET_UP : provider.unavailableReason,
      pairTimeoutMs: provider.pairTimeoutMs,
    };
  });
  return (
    <>
      <PageHeader
        title="Pair a terminal"
        description="Pay-Connect returns the terminal's credentials once. Pairdesk stores them encrypted in the vault; they cannot be fetched again."
      />
      <PairTerminalForm requestKey={randomUUID()} webhookEndpoint={webhookEndpoint()} environments={environments} />
    </>
  );
}
