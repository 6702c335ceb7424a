import "server-only";
import path from "node:path";
import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { pairingAttempts, pairings, terminals, transactions, users, webhookDeliveries, workers, type Environment } from "../db/schema";
import { isCommitted, scanRecoverySpool } from "../pairing/recovery";
import { CREDENTIALS_IN_LOG } from "../pairing/recovery-record";
import { inScope, scopedQuery, scopeWhere, type QueryContext, type Scope } from "../auth/scope";
import { firstRow } from "../db/query";

export type EnvironmentCounts = {
  environment: Environment;
  total: number;
  /** With an active pairing. */
  paired: number;
  /** Paired before, but no pairing active now (unpaired or replaced). */
  unpaired: number;
  /** No pairing ever. */
  neverPaired: number;
};

/**
 * Where the credentials of an attempt that needs recovery are: in the recovery spool (an admin
 * completes it here), only in the server log (an operator imports them with `npm run recover`
 * first), or nowhere Pairdesk can find (re-pair).
 */
type RecoverySource = "spool" | "log" | "missing";

type NeedsRecovery = {
  attemptId: number;
  environment: Environment;
  terminalId: string;
  name: string;
  spooledAt: string;
  by: string | null;
  source: RecoverySource;
};

// Written out with the outer table's name: an unqualified "id" inside the subquery would be the
// pairing's own id (the bug that counted every terminal as paired). A merchant counts its own
// pairings only (a terminal that came from another merchant is "never paired" by it until it is).
function pairingExists(scope: Scope, active: boolean) {
  return sql`exists (select 1 from pairings p where p.terminal_ref = "terminals"."id"${
    active ? sql.raw(` and p.status = 'active'`) : sql``
  }${scope.kind === "all" ? sql`` : sql` and p.merchant_id = ${scope.merchantId}`})`;
}

/** Terminals per environment: paired, unpaired, never paired. */
const terminalCounts = scopedQuery(async ({ db, scope }): Promise<EnvironmentCounts[]> => {
  const hasActive = pairingExists(scope, true);
  const hasAny = pairingExists(scope, false);
  const rows = await db
    .select({
      environment: terminals.environment,
      total: sql<number>`count(*)`,
      paired: sql<number>`coalesce(sum(case when ${hasActive} then 1 else 0 end), 0)`,
      everPaired: sql<number>`coalesce(sum(case when ${hasAny} then 1 else 0 end), 0)`,
    })
    .from(terminals)
    .where(scopeWhere(scope, terminals.merchantId))
    .groupBy(terminals.environment);
  return rows.map((r) => ({
    environment: r.environment,
    total: r.total,
    paired: r.paired,
    unpaired: r.everPaired - r.paired,
    neverPaired: r.total - r.everPaired,
  }));
});

/**
 * The dashboard: counts, and the pairings waiting for recovery in the scope. A spool entry is
 * placed by its attempt's merchant; one whose attempt is not in the database, and the spool files
 * that cannot be read, are shown to staff looking at every merchant only.
 */
export const queryDashboard = scopedQuery(async (ctx) => {
  const { db, scope } = ctx;
  const byEnvironment = await terminalCounts(ctx);
  const flagged = await db
    .select({
      id: pairingAttempts.id,
      createdAt: pairingAttempts.createdAt,
      environment: pairingAttempts.environment,
      name: pairingAttempts.name,
      terminalId: pairingAttempts.terminalId,
      errorCode: pairingAttempts.errorCode,
      // A copy of a spool record in the database (an instance's start put it there): any
      // instance can complete it, whichever holds the file.
      hasRecord: sql<boolean>`${pairingAttempts.recoveryRecord} is not null`.mapWith(Boolean),
      by: users.email,
    })
    .from(pairingAttempts)
    .innerJoin(users, eq(users.id, pairingAttempts.createdById))
    .where(and(eq(pairingAttempts.status, "needs_recovery"), scopeWhere(scope, pairingAttempts.merchantId)));
  // The spool is the record even when the attempt could not be marked. A spool file whose
  // pairing is already saved (its removal failed after the commit) is not offered: the next
  // start removes it.
  const { entries, unreadable } = scanRecoverySpool();
  const attemptIds = entries.map((s) => s.attemptId);
  const merchantOf = new Map(
    (attemptIds.length
      ? await db
          .select({ id: pairingAttempts.id, merchantId: pairingAttempts.merchantId })
          .from(pairingAttempts)
          .where(inArray(pairingAttempts.id, attemptIds))
      : []
    ).map((a) => [a.id, a.merchantId]),
  );
  const spool: typeof entries = [];
  for (const s of entries) if (inScope(scope, merchantOf.get(s.attemptId)) && !(await isCommitted(db, s))) spool.push(s);
  const needsRecovery: NeedsRecovery[] = spool.map((s) => {
    const attempt = flagged.find((f) => f.id === s.attemptId);
    return {
      attemptId: s.attemptId,
      environment: s.environment,
      terminalId: s.terminalId,
      name: s.pairingName,
      spooledAt: s.spooledAt,
      by: attempt?.by ?? null,
      source: "spool",
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
        source: f.hasRecord ? "spool" : f.errorCode === CREDENTIALS_IN_LOG ? "log" : "missing",
      });
    }
  }
  // Terminals whose active pairing Pay-Connect refuses (lib/pairing/credentials-state.ts).
  const credentialsRefused = (await db
    .select({
      terminalRef: terminals.id,
      terminalId: terminals.terminalId,
      environment: terminals.environment,
      pairingName: pairings.name,
      since: pairings.credentialsRefusedAt,
    })
    .from(pairings)
    .innerJoin(terminals, eq(terminals.id, pairings.terminalRef))
    .where(and(eq(pairings.status, "active"), isNotNull(pairings.credentialsRefusedAt), scopeWhere(scope, pairings.merchantId)))
    .orderBy(desc(pairings.credentialsRefusedAt))
    .limit(50))
    .map((r) => ({ ...r, since: r.since!.getTime() }));
  // File names only: where they are is the operator's business, not the page's.
  return {
    byEnvironment,
    credentialsRefused,
    payments: await paymentFigures(ctx),
    needsRecovery,
    unreadableSpoolFiles: scope.kind === "all" ? unreadable.map((f) => path.basename(f)) : [],
  };
});

/** Terminals with an active pairing and no transaction seen for this long are listed. */
const SILENT_HOURS = 24;

/**
 * The payments side of the dashboard: today's transactions by status (UTC day), today's webhook
 * deliveries accepted and refused, the poller's last run, and the paired terminals that have
 * seen no transaction event for SILENT_HOURS (judged by their newest transaction's last update,
 * read through the terminal's index).
 */
async function paymentFigures({ db, scope }: QueryContext) {
  const now = Date.now();
  const today = new Date(new Date(now).toISOString().slice(0, 10) + "T00:00:00Z");
  const byStatus = await db
    .select({ status: transactions.status, n: sql<number>`count(*)` })
    .from(transactions)
    .where(and(scopeWhere(scope, transactions.merchantId), sql`${transactions.createdAt} >= ${today.getTime()}`))
    .groupBy(transactions.status);
  const deliveries = await firstRow(db
    .select({ accepted: sql<number>`coalesce(sum(case when ${webhookDeliveries.verdict} = 'accepted' then 1 else 0 end), 0)`, total: sql<number>`count(*)` })
    .from(webhookDeliveries)
    .where(and(scopeWhere(scope, webhookDeliveries.merchantId), sql`${webhookDeliveries.receivedAt} >= ${today.getTime()}`)).limit(1)) ?? { accepted: 0, total: 0 };
  const poller = await firstRow(db
    .select({ lastRunAt: workers.lastRunAt, lagMs: workers.lagMs, lastRunErrors: workers.lastRunErrors, errorsTotal: workers.errorsTotal, lastError: workers.lastError, lastErrorAt: workers.lastErrorAt })
    .from(workers)
    .where(eq(workers.name, "poller")).limit(1));
  const cutoff = now - SILENT_HOURS * 3_600_000;
  const lastSeen = sql<number | null>`(select t.last_seen_at from transactions t where t.terminal_ref = ${terminals.id} order by t.created_at desc, t.id desc limit 1)`;
  const silent = await db
    .select({ id: terminals.id, terminalId: terminals.terminalId, environment: terminals.environment, lastSeenAt: lastSeen, pairingName: pairings.name, pairedAt: pairings.createdAt })
    .from(terminals)
    .innerJoin(pairings, and(eq(pairings.terminalRef, terminals.id), eq(pairings.status, "active")))
    .where(and(scopeWhere(scope, terminals.merchantId), sql`coalesce(${lastSeen}, 0) < ${cutoff}`))
    .orderBy(terminals.terminalId)
    .limit(21);
  return {
    todayByStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])) as Record<string, number>,
    deliveriesToday: { accepted: deliveries.accepted, rejected: deliveries.total - deliveries.accepted },
    poller: poller
      ? {
          lastRunAt: poller.lastRunAt?.getTime() ?? null,
          lagMs: poller.lagMs ?? 0,
          lastRunErrors: poller.lastRunErrors ?? 0,
          errorsTotal: poller.errorsTotal,
          // The provider's message: no secret, but other merchants' details may be in it.
          lastError: scope.kind === "all" ? poller.lastError : null,
          lastErrorAt: poller.lastErrorAt?.getTime() ?? null,
        }
      : null,
    silentHours: SILENT_HOURS,
    // Paired within the window and no payment yet: new, not silent.
    silentTerminals: silent.slice(0, 20).map((t) => ({ ...t, lastSeenAt: t.lastSeenAt ?? null, pairedAt: t.pairedAt.getTime(), isNew: !t.lastSeenAt && t.pairedAt.getTime() >= cutoff })),
    moreSilent: silent.length > 20,
  };
}
