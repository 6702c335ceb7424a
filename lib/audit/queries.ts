import "server-only";
import { formatAmount } from "../transactions/money";
import { and, asc, count, desc, eq, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { auditLog, locations, merchants, pairingAttempts, pairings, registers, terminals, transactions, users } from "../db/schema";
import { clampPage } from "../lists/kit";
import { auditList, type AuditListParams } from "../lists/lists";
import { REDACTED_FIELDS } from "../log";
import { likeContains } from "../lists/search";
import { TRANSACTION_KIND_LABELS } from "../labels";
import type { TransactionKind } from "../domain";
import { scopedQuery, scopeWhere, type Scope } from "../auth/scope";
import { firstRow, LIKE, integerOf } from "../db/query";

/**
 * The audit log, newest first: who did what, when. A merchant's people read the entries about
 * their merchant; entries without a merchant (a staff member's sign-in, an export of every
 * merchant) are staff-only. A target that belongs to another merchant now is named by its id,
 * without a link.
 */

export type { AuditListParams } from "../lists/lists";
export type AuditListInput = Partial<AuditListParams> & { pageSize?: number };

export type AuditTarget = {
  type: string;
  id: string | null;
  /** What the target is, in words: "Terminal T-001", "Pairing “Till 1” on T-001", an email. */
  label: string;
  /** Still exists: terminals.id of the terminal the target is or belongs to, for a link. */
  terminalRef: number | null;
  /** Still exists: the target is a user. */
  userExists: boolean;
  /** Still exists (in the scope): the page of the location or register, for a link. */
  href: string | null;
};

export type AuditListRow = {
  id: number;
  at: Date;
  actorEmail: string | null;
  /** The merchant the entry is about; null for staff-only entries. */
  merchantId: number | null;
  merchantName: string | null;
  action: string;
  target: AuditTarget | null;
  /** The details JSON as key/value pairs, in the order written. */
  details: [key: string, value: string][];
};

export type AuditList = {
  rows: AuditListRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  params: AuditListParams;
  readAt: number;
};

const HIDDEN_KEYS = new Set(REDACTED_FIELDS.map((f) => f.toLowerCase()));

/**
 * Details as readable pairs. writeAudit never stores a secret; this is a second fence in case
 * one slips in: keys named like a secret are shown as "[hidden]".
 */
function auditDetailPairs(details: string | null): [string, string][] {
  if (!details) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return [["details", details]];
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return [["details", JSON.stringify(parsed)]];
  }
  const record = parsed as Record<string, unknown>;
  // Amounts are kept in minor units with their currency: shown as money, as everywhere else.
  const currency = typeof record.currency === "string" ? record.currency : null;
  return Object.entries(record).map(([key, value]) => [
    key,
    (key === "amount" || key === "refunded") && typeof value === "number" && Number.isSafeInteger(value)
      ? formatAmount(value, currency)
      : HIDDEN_KEYS.has(key.toLowerCase())
        ? "[hidden]"
        : value === null
          ? "—"
          : typeof value === "string"
            ? value
            : JSON.stringify(value),
  ]);
}

/** The `replacedBy` pairing id of a pairing.replace entry's details, or null. */
function replacedByOf(details: string): number | null {
  try {
    const parsed: unknown = JSON.parse(details);
    if (parsed && typeof parsed === "object" && "replacedBy" in parsed) {
      const id = (parsed as { replacedBy: unknown }).replacedBy;
      return typeof id === "number" && Number.isSafeInteger(id) ? id : null;
    }
  } catch {
    // Not JSON: shown as it is.
  }
  return null;
}

function auditListWhere(scope: Scope, params: AuditListParams): SQL | undefined {
  const conditions: SQL[] = [];
  const inScope = scopeWhere(scope, auditLog.merchantId);
  if (inScope) conditions.push(inScope);
  if (params.action !== "all") conditions.push(eq(auditLog.action, params.action));
  const actor = params.actor.trim().toLowerCase();
  if (actor) {
    conditions.push(sql`${auditLog.actorEmail} ${LIKE} ${likeContains(actor)} escape '\\'`);
  }
  return conditions.length ? and(...conditions) : undefined;
}

function auditOrder(params: AuditListParams): SQL[] {
  const { column, direction } = auditList.sortOf(params);
  const dir = direction === "asc" ? asc : desc;
  // By action: A→Z (or Z→A), newest first within an action.
  if (column === "action") return [dir(auditLog.action), desc(auditLog.at), desc(auditLog.id)];
  return [dir(auditLog.at), dir(auditLog.id)];
}

type TargetColumns = {
  targetType: string | null;
  targetId: string | null;
  terminalRef: number | null;
  terminalId: string | null;
  pairingName: string | null;
  pairingTerminalRef: number | null;
  pairingTerminalId: string | null;
  userEmail: string | null;
  attemptName: string | null;
  attemptTerminalRef: number | null;
  targetMerchantName: string | null;
  locationRef: number | null;
  locationName: string | null;
  registerRef: number | null;
  registerName: string | null;
  registerKind: string | null;
  registerLocationName: string | null;
  transactionRef: number | null;
  transactionProviderId: string | null;
  transactionKind: string | null;
};

/**
 * The pairing's name when the entry was written: a rename's new name, or the name its details
 * recorded (created, replaced, unpaired…); a later rename does not rewrite past entries.
 */
function pairingNameThen(action: string, details: string | null): string | null {
  if (!details) return null;
  try {
    const d = JSON.parse(details) as Record<string, unknown>;
    const then = action === "pairing.rename" ? d.to : d.name;
    return typeof then === "string" ? then : null;
  } catch {
    return null;
  }
}

function describeTarget(r: TargetColumns & { action: string; details: string | null }): AuditTarget | null {
  if (!r.targetType) return null;
  const base = { type: r.targetType, id: r.targetId, terminalRef: null, userExists: false, href: null };
  const missing = `${r.targetType.replace(/_/g, " ")} #${r.targetId ?? "?"}`;
  const capital = missing.charAt(0).toUpperCase() + missing.slice(1);
  switch (r.targetType) {
    case "terminal":
      return r.terminalRef !== null
        ? { ...base, label: `Terminal ${r.terminalId}`, terminalRef: r.terminalRef }
        : { ...base, label: capital };
    case "pairing":
      return r.pairingTerminalRef !== null
        ? { ...base, label: `Pairing “${pairingNameThen(r.action, r.details) ?? r.pairingName}” on ${r.pairingTerminalId}`, terminalRef: r.pairingTerminalRef }
        : { ...base, label: capital };
    case "user":
      return r.userEmail !== null ? { ...base, label: r.userEmail, userExists: true } : { ...base, label: capital };
    case "merchant":
      return r.targetMerchantName !== null ? { ...base, label: `Merchant ${r.targetMerchantName}` } : { ...base, label: capital };
    case "location":
      return r.locationRef !== null
        ? { ...base, label: `Location “${r.locationName}”`, href: `/locations/${r.locationRef}` }
        : { ...base, label: capital };
    case "register":
      return r.registerRef !== null
        ? {
            ...base,
            label: `${r.registerKind === "virtual" ? "Virtual register" : "Register"} “${r.registerName}” at ${r.registerLocationName}`,
            href: `/registers/${r.registerRef}`,
          }
        : { ...base, label: capital };
    case "transaction":
      return r.transactionRef !== null
        ? { ...base, label: `${TRANSACTION_KIND_LABELS[r.transactionKind as TransactionKind] ?? "Transaction"} ${r.transactionProviderId}`, href: `/transactions/${r.transactionRef}` }
        : { ...base, label: capital };
    case "pairing_attempt":
      return r.attemptName !== null
        ? { ...base, label: `Attempt “${r.attemptName}”`, terminalRef: r.attemptTerminalRef }
        : { ...base, label: "Pairing attempt #" + (r.targetId ?? "?") };
    default:
      return { ...base, label: capital };
  }
}

/** Rows `offset…offset+limit` of the log: a page, or a batch of the CSV export. */
export const auditRows = scopedQuery(
  async ({ db, scope }, params: AuditListParams, window: { limit: number; offset: number }): Promise<AuditListRow[]> => {
  const targetId = integerOf(auditLog.targetId);
  const tTerminal = alias(terminals, "target_terminal");
  const tPairing = alias(pairings, "target_pairing");
  const tPairingTerminal = alias(terminals, "target_pairing_terminal");
  const tUser = alias(users, "target_user");
  const tAttempt = alias(pairingAttempts, "target_attempt");
  const tAttemptTerminal = alias(terminals, "target_attempt_terminal");
  const tMerchant = alias(merchants, "target_merchant");
  const tLocation = alias(locations, "target_location");
  const tRegister = alias(registers, "target_register");
  const tRegisterLocation = alias(locations, "target_register_location");
  const tTransaction = alias(transactions, "target_transaction");
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorEmail: auditLog.actorEmail,
      merchantId: auditLog.merchantId,
      merchantName: merchants.name,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
      terminalRef: tTerminal.id,
      terminalId: tTerminal.terminalId,
      pairingName: tPairing.name,
      pairingTerminalRef: tPairingTerminal.id,
      pairingTerminalId: tPairingTerminal.terminalId,
      userEmail: tUser.email,
      attemptName: tAttempt.name,
      attemptTerminalRef: tAttemptTerminal.id,
      targetMerchantName: tMerchant.name,
      locationRef: tLocation.id,
      locationName: tLocation.name,
      registerRef: tRegister.id,
      registerName: tRegister.name,
      registerKind: tRegister.kind,
      registerLocationName: tRegisterLocation.name,
      transactionRef: tTransaction.id,
      transactionProviderId: tTransaction.providerTransactionId,
      transactionKind: tTransaction.kind,
    })
    .from(auditLog)
    .leftJoin(merchants, eq(merchants.id, auditLog.merchantId))
    // Each target only when it is inside the scope: another merchant's is named by its id.
    .leftJoin(
      tTerminal,
      and(eq(auditLog.targetType, "terminal"), eq(tTerminal.id, targetId), scopeWhere(scope, tTerminal.merchantId)),
    )
    .leftJoin(
      tPairing,
      and(eq(auditLog.targetType, "pairing"), eq(tPairing.id, targetId), scopeWhere(scope, tPairing.merchantId)),
    )
    .leftJoin(tPairingTerminal, eq(tPairingTerminal.id, tPairing.terminalRef))
    .leftJoin(
      tUser,
      and(
        eq(auditLog.targetType, "user"),
        eq(tUser.id, targetId),
        scope.kind === "all" ? undefined : and(isNotNull(tUser.merchantId), scopeWhere(scope, tUser.merchantId)),
      ),
    )
    .leftJoin(
      tAttempt,
      and(eq(auditLog.targetType, "pairing_attempt"), eq(tAttempt.id, targetId), scopeWhere(scope, tAttempt.merchantId)),
    )
    .leftJoin(
      tAttemptTerminal,
      and(
        eq(tAttemptTerminal.environment, tAttempt.environment),
        eq(tAttemptTerminal.terminalId, tAttempt.terminalId),
        scopeWhere(scope, tAttemptTerminal.merchantId),
      ),
    )
    .leftJoin(
      tMerchant,
      and(eq(auditLog.targetType, "merchant"), eq(tMerchant.id, targetId), scopeWhere(scope, tMerchant.id)),
    )
    .leftJoin(
      tLocation,
      and(eq(auditLog.targetType, "location"), eq(tLocation.id, targetId), scopeWhere(scope, tLocation.merchantId)),
    )
    .leftJoin(
      tRegister,
      and(eq(auditLog.targetType, "register"), eq(tRegister.id, targetId), scopeWhere(scope, tRegister.merchantId)),
    )
    .leftJoin(tRegisterLocation, eq(tRegisterLocation.id, tRegister.locationId))
    .leftJoin(
      tTransaction,
      and(eq(auditLog.targetType, "transaction"), eq(tTransaction.id, targetId), scopeWhere(scope, tTransaction.merchantId)),
    )
    .where(auditListWhere(scope, params))
    .orderBy(...auditOrder(params))
    .limit(window.limit)
    .offset(window.offset);
  // A replaced pairing's entry names the pairing that replaced it (when in the scope), not its id.
  const replacerIds = [
    ...new Set(
      rows.flatMap((r) => {
        if (r.action !== "pairing.replace" || !r.details) return [];
        const id = replacedByOf(r.details);
        return id === null ? [] : [id];
      }),
    ),
  ];
  const replacers = new Map(
    replacerIds.length === 0
      ? []
      : (await db
          .select({ id: pairings.id, name: pairings.name, createdAt: pairings.createdAt })
          .from(pairings)
          .where(and(inArray(pairings.id, replacerIds), scopeWhere(scope, pairings.merchantId))))
          .map((p) => [p.id, p] as const),
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorEmail: r.actorEmail,
    merchantId: r.merchantId,
    merchantName: r.merchantName,
    action: r.action,
    target: describeTarget(r),
    details: auditDetailPairs(r.details).map(([key, value]): [string, string] => {
      if (r.action !== "pairing.replace" || key !== "replacedBy") return [key, value];
      const by = replacers.get(Number(value));
      return ["replaced by", by ? `“${by.name}” (pairing ${by.id}, ${by.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC)` : `pairing ${value}`];
    }),
  }));
  },
);

/** The audit log page: filter by action and by actor email; newest first. */
export const queryAuditLog = scopedQuery(async (ctx, input: AuditListInput = {}): Promise<AuditList> => {
  const params = auditList.values(input);
  const pageSize = input.pageSize ?? auditList.pageSize;
  const total = (await firstRow(ctx.db.select({ n: count() }).from(auditLog).where(auditListWhere(ctx.scope, params)).limit(1)))?.n ?? 0;
  const { page, pageCount } = clampPage(params.page, total, pageSize);
  const rows = total === 0 ? [] : await auditRows(ctx, params, { limit: pageSize, offset: (page - 1) * pageSize });
  return { rows, total, page, pageSize, pageCount, params: { ...params, page }, readAt: Date.now() };
});

/**
 * Suggestions for the actor filter: staff get every user's email; a merchant's people the emails
 * of their merchant's users and of whoever appears in their log (staff who acted for them).
 */
export const queryAuditActorEmails = scopedQuery(async ({ db, scope }): Promise<string[]> => {
  if (scope.kind === "all") {
    return (await db.select({ email: users.email }).from(users).orderBy(asc(users.email))).map((u) => u.email);
  }
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(eq(users.merchantId, scope.merchantId))
    .union(
      db
        .select({ email: sql<string>`${auditLog.actorEmail}` })
        .from(auditLog)
        .where(and(eq(auditLog.merchantId, scope.merchantId), isNotNull(auditLog.actorEmail))),
    )
    .orderBy(sql`1`)
    .limit(500);
  return rows.map((r) => r.email);
});
