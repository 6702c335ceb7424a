/**
 * A terminal's configuration (currency, time zone, payment methods) as the provider reports it,
 * kept on the terminal: fetched after a pairing (best effort: a failure never fails the pairing)
 * and on the terminal page's Refresh button. Its currency is the one amounts are typed in.
 */
import { failure, type Failure } from "../errors";
import { and, eq } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import type { QueryContext } from "../auth/scope";
import { scopeWhere, scopedCommands } from "../auth/scope";
import { pairings, terminals } from "../db/schema";
import { ProviderError } from "../providers/types";
import type { OperationDeps } from "./operations";
import { watchCredentials } from "../pairing/credentials-state";
import { firstRow } from "../db/query";

export type ConfigurationOutcome = { ok: true; message: string } | Failure;

export async function refreshConfiguration(
  ctx: QueryContext,
  deps: Pick<OperationDeps, "provider" | "credentials">,
  terminalRef: number,
  actor: { id: number; email: string } | null,
): Promise<ConfigurationOutcome> {
  const { db, scope } = ctx;
  const terminal = await firstRow(db.select().from(terminals).where(and(eq(terminals.id, terminalRef), scopeWhere(scope, terminals.merchantId))).limit(1));
  if (!terminal) return failure("not_found", "That terminal does not exist.");
  const pairing = await firstRow(db
    .select({ id: pairings.id, clientId: pairings.clientId })
    .from(pairings)
    .where(and(eq(pairings.terminalRef, terminal.id), eq(pairings.status, "active"))).limit(1));
  if (!pairing) return failure("not_paired", `Terminal ${terminal.terminalId} has no active pairing: its configuration cannot be read.`);
  try {
    const config = await watchCredentials(db, pairing.id, async () => deps.provider(terminal.environment).getConfiguration(await deps.credentials(db, pairing)));
    await db.transaction(
      async (tx) => {
        await tx.update(terminals)
          .set({
            currency: config.currency,
            timeZone: config.timeZone,
            paymentMethods: JSON.stringify(config.paymentMethods),
            configFetchedAt: new Date(),
            configError: null,
            updatedAt: new Date(),
          })
          .where(eq(terminals.id, terminal.id));
        if (actor) {
          await writeAudit(tx, {
            actor,
            merchantId: terminal.merchantId,
            action: "terminal.configuration_refresh",
            targetType: "terminal",
            targetId: terminal.id,
            details: { terminal: terminal.terminalId, currency: config.currency },
          });
        }
      },
      { behavior: "immediate" },
    );
    return { ok: true, message: `Configuration of ${terminal.terminalId} read: ${config.currency ?? "no currency"}.` };
  } catch (err) {
    const error = err instanceof ProviderError ? err.message : "The configuration could not be read (see the server log).";
    await db.transaction((tx) => tx.update(terminals).set({ configError: error }).where(eq(terminals.id, terminal.id)));
    return failure("provider", error);
  }
}

/** The payment methods stored on a terminal (JSON array), or an empty list. */
export function paymentMethodsOf(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

scopedCommands(refreshConfiguration);
