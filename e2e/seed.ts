/**
 * Typed seed helpers and readers over the E2E database, through drizzle and the app's own schema
 * (lib/db/schema/) rather than SQL strings in the specs. Another worker writes to the same
 * database at the same time: seed rows with unique names or ids, and read back your own rows
 * (by id, terminal, name or user), never global counts.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, eq, like, sql, type SQL } from "drizzle-orm";
import { openDatabase, type DB } from "../lib/db/open";
import {
  auditLog,
  merchants,
  pairingAttempts,
  pairings,
  pairingSecrets,
  terminals,
  users,
  type AttemptStatus,
  type Environment,
  type PairingStatus,
  type Role,
} from "../lib/db/schema";
import { E2E_DB } from "./env";
import { firstRow, returnedRow } from "../lib/db/query";

let handle: DB | undefined;

/** The worker's drizzle handle on the E2E database (migrated by the server at start). */
export function e2eDb(): DB {
  if (!handle) handle = openDatabase(E2E_DB, { migrate: false });
  return handle;
}

/** A short random tag for names and ids that must not collide with another test's. */
export const uniqueTag = (bytes = 3) => randomBytes(bytes).toString("hex");

// ---- seeding ----

/** The merchant seeded rows belong to unless a test says otherwise (found or created). */
export const E2E_MERCHANT = "E2E merchant";

export async function seedMerchant(name = `E2E merchant ${uniqueTag(4)}`, status: "active" | "suspended" = "active"): Promise<{ id: number; name: string; }> {
  const db = e2eDb();
  const existing = await firstRow(db.select({ id: merchants.id }).from(merchants).where(eq(merchants.name, name)).limit(1));
  if (existing) return { id: existing.id, name };
  try {
    const { id } = await returnedRow(db.transaction((tx) => tx.insert(merchants).values({ name, status }).returning({ id: merchants.id })));
    return { id, name };
  } catch (err) {
    // Another worker created it meanwhile.
    const again = await firstRow(db.select({ id: merchants.id }).from(merchants).where(eq(merchants.name, name)).limit(1));
    if (again) return { id: again.id, name };
    throw err;
  }
}

export async function defaultMerchantId(): Promise<number> {
  return (await seedMerchant(E2E_MERCHANT)).id;
}

export type SeededTerminal = { id: number; terminalId: string; environment: Environment };

export async function seedTerminal(
  input: { terminalId?: string; environment?: Environment; merchantId?: number } = {},
): Promise<SeededTerminal> {
  const environment = input.environment ?? "sandbox";
  const terminalId = input.terminalId ?? `E2E-${uniqueTag(5).toUpperCase()}`;
  const merchantId = input.merchantId ?? await defaultMerchantId();
  const { id } = await returnedRow(e2eDb().transaction((tx) => tx
    .insert(terminals)
    .values({ environment, terminalId, merchantId })
    .returning({ id: terminals.id })));
  return { id, terminalId, environment };
}

export type PairingSeed = {
  terminalRef: number;
  name: string;
  createdById: number;
  /** Default: the terminal's merchant. */
  merchantId?: number;
  status?: PairingStatus;
  createdAt?: Date;
  payConnectId?: string;
  clientId?: string;
  webhookUrl?: string | null;
};

/** A pairing row without credentials (the vault stays empty for it, as for scripts/seed-terminals). */
export async function seedPairing(input: PairingSeed): Promise<{ id: number }> {
  const values = await pairingValues(input);
  return returnedRow(e2eDb().transaction((tx) => tx.insert(pairings).values(values).returning({ id: pairings.id })));
}

async function pairingValues(input: PairingSeed): Promise<typeof pairings.$inferInsert> {
  const merchantId =
    input.merchantId ??
    (await firstRow(e2eDb().select({ m: terminals.merchantId }).from(terminals).where(eq(terminals.id, input.terminalRef)).limit(1)))?.m ??
    await defaultMerchantId();
  return {
    terminalRef: input.terminalRef,
    merchantId,
    payConnectId: input.payConnectId ?? `pc_${randomUUID()}`,
    name: input.name,
    clientId: input.clientId ?? `cl_${uniqueTag(8)}`,
    webhookUrl: input.webhookUrl ?? null,
    hasWebhookSecret: false,
    status: input.status ?? "active",
    createdById: input.createdById,
    createdAt: input.createdAt ?? new Date(),
  };
}

/**
 * Many terminals, each with its pairings, in one transaction: `rows[i]` gives the terminal and
 * its pairings. Returns the terminals' row ids in the same order.
 */
export async function seedTerminalsWithPairings(
  rows: { terminalId: string; environment: Environment; merchantId?: number; pairings: Omit<PairingSeed, "terminalRef">[] }[],
): Promise<number[]> {
  const db = e2eDb();
  const fallback = await defaultMerchantId();
  const values = await Promise.all(
    rows.map((row) => Promise.all(row.pairings.map((p) => pairingValues({ ...p, terminalRef: 0, merchantId: p.merchantId ?? row.merchantId ?? fallback })))),
  );
  return db.transaction(async (tx) => {
    const ids: number[] = [];
    for (const [i, row] of rows.entries()) {
      const { id } = await returnedRow(
        tx
          .insert(terminals)
          .values({ terminalId: row.terminalId, environment: row.environment, merchantId: row.merchantId ?? fallback })
          .returning({ id: terminals.id }),
      );
      for (const p of values[i]!) await tx.insert(pairings).values({ ...p, terminalRef: id });
      ids.push(id);
    }
    return ids;
  });
}

export type AttemptSeed = {
  name: string;
  status: AttemptStatus;
  createdById: number;
  merchantId?: number;
  environment?: Environment;
  reason?: string | null;
  errorCode?: string | null;
  terminalId?: string | null;
};

export async function seedAttempt(input: AttemptSeed): Promise<{ id: number }> {
  const merchantId = input.merchantId ?? (await defaultMerchantId());
  return returnedRow(e2eDb().transaction((tx) => tx
    .insert(pairingAttempts)
    .values({
      requestKey: randomUUID(),
      merchantId,
      environment: input.environment ?? "sandbox",
      name: input.name,
      status: input.status,
      reason: input.reason ?? null,
      errorCode: input.errorCode ?? null,
      terminalId: input.terminalId ?? null,
      createdById: input.createdById,
    })
    .returning({ id: pairingAttempts.id })));
}

export type AuditSeed = {
  action: string;
  actorEmail?: string | null;
  actorId?: number | null;
  targetType?: string | null;
  targetId?: string | number | null;
  details?: Record<string, unknown>;
};

export async function seedAudit(input: AuditSeed): Promise<{ id: number; }> {
  return await returnedRow(e2eDb().transaction((tx) => tx
    .insert(auditLog)
    .values({
      action: input.action,
      actorEmail: input.actorEmail ?? null,
      actorId: input.actorId ?? null,
      targetType: input.targetType ?? null,
      targetId: input.targetId === undefined || input.targetId === null ? null : String(input.targetId),
      details: input.details ? JSON.stringify(input.details) : null,
    })
    .returning({ id: auditLog.id })));
}

// ---- changing a user behind the app's back (what another admin or an operator would do) ----

export async function setUserRole(userId: number, role: Role): Promise<void> {
  await e2eDb().transaction((tx) => tx.update(users).set({ role }).where(eq(users.id, userId)));
}

/** What disabling a user does to the database: their sessions end, their sign-in stops. */
export async function disableUserInDb(userId: number): Promise<void> {
  await e2eDb().transaction((tx) => tx
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, disabledAt: new Date() })
    .where(eq(users.id, userId)));
}

/**
 * The sign-in throttle as it will be `ms` from now, for one email: its counted failures (under
 * every key that names the email) move that far into the past. In place of waiting out a delay.
 */
export function ageSignInFailures(email: string, ms: number): void {
  const emailKey = `email:${email}`;
  const emailAddressPrefix = `email+address:${email}|`;
  e2eDb()
    .$client.prepare("update sign_in_failures set at = at - ? where key = ? or substr(key, 1, length(?)) = ?")
    .run(Math.ceil(ms), emailKey, emailAddressPrefix, emailAddressPrefix);
}

// ---- real faults in the database ----

/**
 * Makes the database refuse to insert a pairing with this exact name (a SQLite trigger), so that
 * only the test that owns the name hits the fault; other workers' pairings go through. Returns
 * the function that removes it.
 */
export function failPairingInsertsNamed(name: string): () => void {
  const trigger = `e2e_fail_pairing_${uniqueTag(4)}`;
  const raw = e2eDb().$client;
  const quoted = `'${name.replaceAll("'", "''")}'`;
  raw.exec(
    `CREATE TRIGGER ${trigger} BEFORE INSERT ON pairings WHEN NEW.name = ${quoted}
     BEGIN SELECT RAISE(ABORT, 'injected fault'); END;`,
  );
  return () => raw.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
}

// ---- readers ----

export async function userByEmail(email: string) {
  return await firstRow(e2eDb()
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      passwordHash: users.passwordHash,
      sessionVersion: users.sessionVersion,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.email, email)).limit(1));
}

export async function terminalByTerminalId(terminalId: string) {
  return await firstRow(e2eDb()
    .select({ id: terminals.id, terminalId: terminals.terminalId, environment: terminals.environment })
    .from(terminals)
    .where(eq(terminals.terminalId, terminalId)).limit(1));
}

const pairingColumns = {
  id: pairings.id,
  terminalRef: pairings.terminalRef,
  payConnectId: pairings.payConnectId,
  name: pairings.name,
  status: pairings.status,
  webhookUrl: pairings.webhookUrl,
  webhookToken: pairings.webhookToken,
  createdById: pairings.createdById,
  endedById: pairings.endedById,
};

export async function pairingById(id: number) {
  return await firstRow(e2eDb().select(pairingColumns).from(pairings).where(eq(pairings.id, id)).limit(1));
}

/** The pairings of a terminal (by the provider's terminal id), oldest first. */
export async function pairingsOfTerminal(terminalId: string) {
  return await e2eDb()
    .select(pairingColumns)
    .from(pairings)
    .innerJoin(terminals, eq(terminals.id, pairings.terminalRef))
    .where(eq(terminals.terminalId, terminalId))
    .orderBy(asc(pairings.id));
}

/** The vault fields stored for a pairing, sorted (never the ciphertexts). */
export async function secretFields(pairingId: number): Promise<string[]> {
  return (await e2eDb()
    .select({ field: pairingSecrets.field })
    .from(pairingSecrets)
    .where(eq(pairingSecrets.pairingId, pairingId))
    .orderBy(asc(pairingSecrets.field)))
    .map((r) => r.field);
}

const attemptColumns = {
  id: pairingAttempts.id,
  name: pairingAttempts.name,
  status: pairingAttempts.status,
  errorCode: pairingAttempts.errorCode,
  reason: pairingAttempts.reason,
  terminalId: pairingAttempts.terminalId,
  pairingId: pairingAttempts.pairingId,
  createdById: pairingAttempts.createdById,
  recoveredAt: pairingAttempts.recoveredAt,
};

/** Attempts matching every given filter, oldest first. */
export async function attempts(filter: { name?: string; createdById?: number; pairingId?: number; id?: number }) {
  const where: SQL[] = [];
  if (filter.id !== undefined) where.push(eq(pairingAttempts.id, filter.id));
  if (filter.name !== undefined) where.push(eq(pairingAttempts.name, filter.name));
  if (filter.createdById !== undefined) where.push(eq(pairingAttempts.createdById, filter.createdById));
  if (filter.pairingId !== undefined) where.push(eq(pairingAttempts.pairingId, filter.pairingId));
  return await e2eDb().select(attemptColumns).from(pairingAttempts).where(and(...where)).orderBy(asc(pairingAttempts.id));
}

/** Audit rows matching every given filter, oldest first; `action` may end in `%`. */
export async function auditRows(filter: { action?: string; targetType?: string; targetId?: string | number; actorId?: number }) {
  const where: SQL[] = [];
  if (filter.action !== undefined) {
    where.push(filter.action.endsWith("%") ? like(auditLog.action, filter.action) : eq(auditLog.action, filter.action));
  }
  if (filter.targetType !== undefined) where.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId !== undefined) where.push(eq(auditLog.targetId, String(filter.targetId)));
  if (filter.actorId !== undefined) where.push(eq(auditLog.actorId, filter.actorId));
  return await e2eDb()
    .select({
      id: auditLog.id,
      action: auditLog.action,
      actorId: auditLog.actorId,
      actorEmail: auditLog.actorEmail,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(and(...where))
    .orderBy(asc(auditLog.id));
}

/** Every audit row's text, for "no secret anywhere in the audit log" checks. */
export async function allAuditText(): Promise<string> {
  return JSON.stringify(await e2eDb().select().from(auditLog));
}
