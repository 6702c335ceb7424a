/**
 * Renaming a pairing: Pairdesk's name for it, shown on the terminal, in the lists and in the
 * audit log. Pay-Connect has no call to rename a pairing, so it keeps the name the pairing was
 * made with (recorded in the pairing's "Pairing created" audit entry).
 *
 * The case that needs it: Pair again with another terminal's OTP makes a pairing of that other
 * terminal under the name typed for the terminal meant; the warning asks for the right name.
 */
import "server-only";
import { and, eq } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import { scopeWhere, type QueryContext, scopedCommands } from "../auth/scope";
import { merchants, pairings, terminals } from "../db/schema";
import { DomainError, notFound } from "../errors";
import { firstRow } from "../db/query";

export type Renamed = { name: string; message: string };

export async function renamePairing(
  { db, scope }: QueryContext,
  pairingId: number,
  input: { name: string; expectedName?: string },
  actor: { id: number; email: string },
): Promise<Renamed> {
  return db.transaction(
    async (tx): Promise<Renamed> => {
      const pairing = await firstRow(tx
        .select({
          id: pairings.id,
          name: pairings.name,
          status: pairings.status,
          merchantId: pairings.merchantId,
          merchantStatus: merchants.status,
          environment: terminals.environment,
          terminalId: terminals.terminalId,
        })
        .from(pairings)
        .innerJoin(terminals, eq(terminals.id, pairings.terminalRef))
        .innerJoin(merchants, eq(merchants.id, pairings.merchantId))
        .where(and(eq(pairings.id, pairingId), scopeWhere(scope, pairings.merchantId))).limit(1));
      if (!pairing) throw notFound("That pairing does not exist.");
      if (pairing.status !== "active") {
        throw new DomainError("not_active", `This pairing is ${pairing.status}: only an active pairing can be renamed.`);
      }
      if (pairing.merchantStatus !== "active") {
        throw new DomainError("merchant_suspended", "The pairing's merchant is suspended: its pairings cannot be renamed until it is reactivated.");
      }
      // A page open for a while: someone else renamed it since. Say so rather than overwrite.
      if (input.expectedName !== undefined && input.expectedName !== pairing.name) {
        throw new DomainError("stale", `Someone renamed this pairing to “${pairing.name}” meanwhile. Reload the page to rename it again.`, {
          field: "name",
        });
      }
      if (pairing.name === input.name) return { name: pairing.name, message: `The name stays “${pairing.name}”.` };
      await tx.update(pairings).set({ name: input.name }).where(eq(pairings.id, pairing.id));
      await writeAudit(tx, {
        actor,
        merchantId: pairing.merchantId,
        action: "pairing.rename",
        targetType: "pairing",
        targetId: pairing.id,
        details: { environment: pairing.environment, terminalId: pairing.terminalId, from: pairing.name, to: input.name },
      });
      return {
        name: input.name,
        message: `Renamed to “${input.name}” in Pairdesk. Pay-Connect keeps the name it was paired with.`,
      };
    },
    { behavior: "immediate" },
  );
}

scopedCommands(renamePairing);
