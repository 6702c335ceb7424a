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

export default async function PairTerminalPage() {
  await requirePageUser("pairing:create");
  const environments: PairEnvironmentOption[] = ENVIRONMENTS.map(({ value, label }) => {
    const provider = pairingProvider(value);
    return {
      value,
      label,
      providerLabel: provider.label,
      unavailableReason: provider.unavailableReason,
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
