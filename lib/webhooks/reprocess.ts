/**
 * Reprocess a stored delivery: read its body again and apply it again through
 * applyTransactionEvent (idempotent: what was already applied records nothing new). Only a
 * delivery that was verified (accepted, or unparsed) can be reprocessed; never a rejected one.
 */
import { failure, type Failure } from "../errors";
import { and, eq, sql } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import type { QueryContext } from "../auth/scope";
import { scopeWhere, scopedCommands } from "../auth/scope";
import { pairings, terminals, webhookDeliveries } from "../db/schema";
import { payConnectWebhooks } from "../pay-connect/webhook";
import { applyDelivery } from "./inbox";
import { firstRow } from "../db/query";

export type ReprocessOutcome = { ok: true; message: string; events: number } | Failure;

export async function reprocessDelivery(ctx: QueryContext, deliveryId: number, actor: { id: number; email: string }): Promise<ReprocessOutcome> {
  const { db, scope } = ctx;
  const d = await firstRow(db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), scope.kind === "all" ? undefined : scopeWhere(scope, webhookDeliveries.merchantId))).limit(1));
  if (!d) return failure("not_found", "That delivery does not exist.");
  if (d.verdict !== "accepted" && d.verdict !== "unparsed") {
    return failure("not_allowed", "Only a delivery whose signature was verified can be reprocessed: this one was refused.");
  }
  if (!d.body || d.pairingId === null) return failure("not_allowed", "This delivery has no stored body to reprocess.");
  const parsed = payConnectWebhooks.parse(d.body);
  if (!parsed.ok) return failure("not_allowed", `It still cannot be read: ${parsed.reason}`);
  const via = (await firstRow(db
    .select({ pairingId: pairings.id, merchantId: pairings.merchantId, terminalRef: pairings.terminalRef, environment: terminals.environment })
    .from(pairings)
    .innerJoin(terminals, eq(terminals.id, pairings.terminalRef))
    .where(eq(pairings.id, d.pairingId)).limit(1)))!;
  const result = await db.transaction(
      async (tx) => {
          const r = await applyDelivery(tx, d.id, parsed.transactions, via, Date.now());
          await tx.update(webhookDeliveries)
              .set({ reprocessedAt: new Date(), reprocessCount: sql`${webhookDeliveries.reprocessCount} + 1` })
              .where(eq(webhookDeliveries.id, d.id));
          await writeAudit(tx, {
              actor,
              merchantId: d.merchantId,
              action: "webhook.reprocess",
              targetType: "webhook_delivery",
              targetId: d.id,
              details: { events: r.events, failed: r.processError !== null },
          });
          return r;
      },
      { behavior: "immediate" }
  );
  if (result.processError) return failure("not_allowed", result.processError);
  return {
    ok: true,
    events: result.events,
    message:
      result.events === 0
        ? "Reprocessed: nothing new in it (everything it holds was already applied)."
        : `Reprocessed: ${result.events} new observation${result.events === 1 ? "" : "s"} applied.`,
  };
}

scopedCommands(reprocessDelivery);
