import { randomUUID } from "node:crypto";
import { PairTerminalForm } from "@/components/terminals/pair-terminal-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth";
import { getEnv } from "@/lib/env";
import { newWebhookToken, webhookUrlFor } from "@/lib/webhook-url";

export const metadata = { title: "Pair a terminal" };

export default async function PairTerminalPage() {
  await requirePageUser("pairing:create");
  const env = getEnv();
  return (
    <>
      <PageHeader
        title="Pair a terminal"
        description="Pay-Connect returns the terminal's credentials once. Pairdesk stores them encrypted in the vault; they cannot be fetched again."
      />
      <PairTerminalForm
        requestKey={randomUUID()}
        webhookUrl={webhookUrlFor(newWebhookToken())}
        environments={[
          { value: "sandbox", label: "Sandbox", configured: Boolean(env.payConnect.sandbox.integratorId) },
          { value: "production", label: "Production", configured: Boolean(env.payConnect.production.integratorId) },
        ]}
      />
    </>
  );
}
