import "server-only";
import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { requireUser } from "../auth";
import { getDb, type DB } from "../db/client";
import { auditLog, pairingAttempts, pairings, terminals, users } from "../db/schema";
import { clampPage } from "../lists/kit";
import { auditList, type AuditListParams } from "../lists/lists";
import { REDACTED_FIELDS } from "../log";
import { likeContains } from "./terminals";

/** The audit log, newest first: who did what, when. */

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
};

export type AuditListRow = {
  id: number;
  at: Date;
  actorEmail: string | null;
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

export function auditParams(input: AuditListInput = {}): AuditListParams {
  return auditList.values(input);
}

const HIDDEN_KEYS = new Set(REDACTED_FIELDS.map((f) => f.toLowerCase()));

/**
 * Details as readable pairs. writeAudit never stores a secret; this is a second fence in case
 * one slips in: keys named like a secret are shown as "[hidden]".
 */
export function auditDetailPairs(details: string | null): [string, string][] {
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
  return Object.entries(parsed as Record<string, unknown>).map(([key, value]) => [
    key,
    HIDDEN_KEYS.has(key.toLowerCase())
      ? "[hidden]"
      : value === null
        ? "—"
        : typeof value === "string"
          ? value
          : JSON.stringify(value),
  ]);
}

function auditListWhere(params: AuditListParams): SQL | undefined {
  const conditions: SQL[] = [];
  if (params.action !== "all") conditions.push(eq(auditLog.action, params.action));
  const actor = params.actor.trim().toLowerCase();
  if (actor) {
    conditions.push(sql`${auditLog.actorEmail} like ${likeContains(actor)} escape '\\'`);
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
};

function describeTarget(r: TargetColumns): AuditTarget | null {
  if (!r.targetType) return null;
  const base = { type: r.targetType, id: r.targetId, terminalRef: null, userExists: false };
  const missing = `${r.targetType.replace(/_/g, " ")} #${r.targetId ?? "?"}`;
  const capital = missing.charAt(0).toUpperCase() + missing.slice(1);
  switch (r.targetType) {
    case "terminal":
      return r.terminalRef !== null
        ? { ...base, label: `Terminal ${r.terminalId}`, terminalRef: r.terminalRef }
        : { ...base, label: capital };
    case "pairing":
      return r.pairingTerminalRef !== null
        ? { ...base, label: `Pairing “${r.pairingName}” on ${r.pairingTerminalId}`, terminalRef: r.pairingTerminalRef }
        : { ...base, label: capital };
    case "user":
      return r.userEmail !== null ? { ...base, label: r.userEmail, userExists: true } : { ...base, label: capital };
    case "pairing_attempt":
      return r.attemptName !== null
        ? { ...base, label: `Attempt “${r.attemptName}”`, terminalRef: r.attemptTerminalRef }
        : { ...base, label: "Pairing attempt #" + (r.targetId ?? "?") };
    default:
      return { ...base, label: capital };
  }
}

/** Rows `offset…offset+limit` of the log: a page, or a batch of the CSV export. */
export function auditRows(db: DB, params: AuditListParams, window: { limit: number; offset: number }): AuditListRow[] {
  const targetId = sql`cast(${auditLog.targetId} as integer)`;
  const tTerminal = alias(terminals, "target_terminal");
  const tPairing = alias(pairings, "target_pairing");
  const tPairingTerminal = alias(terminals, "target_pairing_terminal");
  const tUser = alias(users, "target_user");
  const tAttempt = alias(pairingAttempts, "target_attempt");
  const tAttemptTerminal = alias(terminals, "target_attempt_terminal");
  const rows = db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorEmail: auditLog.actorEmail,
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
    })
    .from(auditLog)
    .leftJoin(tTerminal, and(eq(auditLog.targetType, "terminal"), eq(tTerminal.id, targetId)))
    .leftJoin(tPairing, and(eq(auditLog.targetType, "pairing"), eq(tPairing.id, targetId)))
    .leftJoin(tPairingTerminal, eq(tPairingTerminal.id, tPairing.terminalRef))
    .leftJoin(tUser, and(eq(auditLog.targetType, "user"), eq(tUser.id, targetId)))
    .leftJoin(tAttempt, and(eq(auditLog.targetType, "pairing_attempt"), eq(tAttempt.id, targetId)))
    .leftJoin(
      tAttemptTerminal,
      and(eq(tAttemptTerminal.environment, tAttempt.environment), eq(tAttemptTerminal.terminalId, tAttempt.terminalId)),
    )
    .where(auditListWhere(params))
    .orderBy(...auditOrder(params))
    .limit(window.limit)
    .offset(window.offset)
    .all();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorEmail: r.actorEmail,
    action: r.action,
    target: describeTarget(r),
    details: auditDetailPairs(r.details),
  }));
}

/** The log without a session check (tests, scripts, `listAuditLog`). */
export function queryAuditLog(db: DB, input: AuditListInput = {}): AuditList {
  const params = auditParams(input);
  const pageSize = input.pageSize ?? auditList.pageSize;
  const total = db.select({ n: count() }).from(auditLog).where(auditListWhere(params)).get()?.n ?? 0;
  const { page, pageCount } = clampPage(params.page, total, pageSize);
  const rows = total === 0 ? [] : auditRows(db, params, { limit: pageSize, offset: (page - 1) * pageSize });
  return { rows, total, page, pageSize, pageCount, params: { ...params, page }, readAt: Date.now() };
}

/** The audit log page: filter by action and by actor email; newest first. */
export async function listAuditLog(input: AuditListInput = {}): Promise<AuditList> {
  await requireUser("audit:read");
  return queryAuditLog(getDb(), input);
}

/** Emails of all users, for the actor filter's suggestions. */
export async function listAuditActorEmails(): Promise<string[]> {
  await requireUser("audit:read");
  return getDb()
    .select({ email: users.email })
    .from(users)
    .orderBy(asc(users.email))
    .all()
    .map((u) => u.email);
}
