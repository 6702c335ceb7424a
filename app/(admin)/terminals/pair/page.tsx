import { randomUUID } from "node:crypto";
import { PairTerminalForm, type PairMerchantChoice } from "@/components/terminals/pair-terminal-form";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/auth/access";
import { queryMerchantOptions } from "@/lib/merchants/queries";
import { isMerchantRole } from "@/lib/domain";
import { loadMerchantView } from "@/lib/lists/lists";
import { pairEnvironmentOptions } from "@/lib/pairing/form-options";
import { webhookEndpoint } from "@/lib/pairing/webhook-url";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Pair a terminal" };

export default async function PairTerminalPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // No view: staff may pair into any active merchant whatever the switcher shows; the switcher's
  // choice only preselects one.
  const { user, ctx } = await pageAccess("pairing:create");
  const environments = pairEnvironmentOptions(user.role);
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
  const active = (await queryMerchantOptions(ctx))
    .filter((m) => m.status === "active")
    .map((m) => ({ id: m.id, name: m.name }));
  const { merchant: viewed } = loadMerchantView(await searchParams);
  const preselected = active.find((m) => m.id === viewed)?.id ?? (active.length === 1 ? active[0]!.id : null);
  return { kind: "choose", options: active, preselected, mayManage: can(user.role, "merchants:manage") };
}
