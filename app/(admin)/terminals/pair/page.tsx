import { randomUUID } from "node:crypto";
import {
  PairTerminalForm,
  type PairEnvironmentOption,
  type PairMerchantChoice,
} from "@/components/terminals/pair-terminal-form";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/data/access";
import { queryMerchantOptions } from "@/lib/data/merchants";
import { isMerchantRole } from "@/lib/domain";
import { loadMerchantView } from "@/lib/lists/lists";
import { webhookEndpoint } from "@/lib/pairing/webhook-url";
import { can } from "@/lib/permissions";
import { pairingProvider } from "@/lib/providers";

export const metadata = { title: "Pair a terminal" };

const ENVIRONMENTS = [
  { value: "sandbox", label: "Sandbox" },
  { value: "production", label: "Production" },
] as const;

const NOT_SET_UP = "It is not set up on this Pairdesk yet: ask an admin.";

export default async function PairTerminalPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // No view: staff may pair into any active merchant whatever the switcher shows; the switcher's
  // choice only preselects one.
  const { user, ctx } = await pageAccess("pairing:create");
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
  const merchant = await merchantChoice(user, ctx, searchParams);
  return (
    <>
      <PageHeader
        title="Pair a terminal"
        description="Pay-Connect returns the terminal's credentials once. Pairdesk stores them encrypted in the vault; they cannot be fetched again."
      />
      <PairTerminalForm
        requestKey={randomUUID()}
        webhookEndpoint={webhookEndpoint()}
        environments={environments}
        merchant={merchant}
      />
    </>
  );
}

/**
 * Whom the terminal is paired for: a merchant's people their own merchant (no choice, and no
 * other merchant's name); staff choose among the active merchants, the switcher's merchant (or
 * the only one) preselected.
 */
async function merchantChoice(
  user: Awaited<ReturnType<typeof pageAccess>>["user"],
  ctx: Awaited<ReturnType<typeof pageAccess>>["ctx"],
  searchParams: Promise<Record<string, string | string[] | undefined>>,
): Promise<PairMerchantChoice> {
  if (isMerchantRole(user.role)) return { kind: "own", name: user.merchantName ?? "your merchant" };
  const active = queryMerchantOptions(ctx)
    .filter((m) => m.status === "active")
    .map((m) => ({ id: m.id, name: m.name }));
  const { merchant: viewed } = loadMerchantView(await searchParams);
  const preselected = active.find((m) => m.id === viewed)?.id ?? (active.length === 1 ? active[0]!.id : null);
  return { kind: "choose", options: active, preselected, mayManage: can(user.role, "merchants:manage") };
}
