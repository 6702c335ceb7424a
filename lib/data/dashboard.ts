import "server-only";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { requireUser } from "../auth";
import { getDb, type DB } from "../db/client";
import { pairingAttempts, terminals, users } from "../db/schema";
import { scanRecoverySpool } from "../pairing/recovery";

export function queryDashboard(db: DB) {
  const byEnvironment = db
    .select({
      environment: terminals.environment,
      paired: sql<number>`sum(case when exists (select 1 from pairings p where p.terminal_ref = ${terminals.id} and p.status = 'active') then 1 else 0 end)`,
      total: sql<number>`count(*)`,
    })
    .from(terminals)
    .groupBy(terminals.environment)
    .all();
  const flagged = db
    .select({
      id: pairingAttempts.id,
      createdAt: pairingAttempts.createdAt,
      environment: pairingAttempts.environment,
      name: pairingAttempts.name,
      terminalId: pairingAttempts.terminalId,
      by: users.email,
    })
    .from(pairingAttempts)
    .innerJoin(users, eq(users.id, pairingAttempts.createdById))
    .where(eq(pairingAttempts.status, "needs_recovery"))
    .all();
  // The spool is the record even when the attempt could not be marked.
  const { entries: spool, unreadable } = scanRecoverySpool();
  const needsRecovery = spool.map((s) => {
    const attempt = flagged.find((f) => f.id === s.attemptId);
    return {
      attemptId: s.attemptId,
      environment: s.environment,
      terminalId: s.terminalId,
      name: s.pairingName,
      spooledAt: s.spooledAt,
      by: attempt?.by ?? null,
      inSpool: true,
    };
  });
  for (const f of flagged) {
    if (!spool.some((s) => s.attemptId === f.id)) {
      needsRecovery.push({
        attemptId: f.id,
        environment: f.environment,
        terminalId: f.terminalId ?? "",
        name: f.name,
        spooledAt: f.createdAt.toISOString(),
        by: f.by,
        inSpool: false,
      });
    }
  }
  // File names only: where they are is the operator's business, not the page's.
  return { byEnvironment, needsRecovery, unreadableSpoolFiles: unreadable.map((f) => path.basename(f)) };
}

export async function getDashboard() {
  await requireUser("terminals:read");
  return queryDashboard(getDb());
}
