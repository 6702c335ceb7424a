import "server-only";
import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { AUDIT_ACTIONS } from "../audit";
import { requireUser } from "../auth";
import { getDb, type DB } from "../db/client";
import { auditLog, pairings, terminals, users } from "../db/schema";
import { REDACTED_FIELDS } from "../log";
import { likeContains } from "./terminals";

/** The audit log, newest first: who did what, when. */

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_ACTION_FILTERS = ["all", ...AUDIT_ACTIONS] as const;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export const auditListParamsSchema = z.object({
  action: z.preprocess(first, z.enum(AUDIT_ACTION_FILTERS)).catch("all"),
  /** Part of the actor's email, case-insensitive. */
  actor: z
    .preprocess(first, z.string().trim().toLowerCase().transform((s) => s.slice(0, 254)))
    .catch(""),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(1_000_000)).catch(1),
  pageSize: z.preprocess(first, z.coerce.number().int().min(1).max(200)).catch(AUDIT_PAGE_SIZE),
});

export type AuditListParams = z.output<typeof auditListParamsSchema>;
export type AuditListInput = Partial<Record<keyof AuditListParams, unknown>>;

export type AuditListRow = {
  id: number;
  at: Date;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** terminals.id of the target (a terminal, or a pairing's terminal), for a link. */
  targetTerminalRef: number | null;
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
};

export function parseAuditListParams(input: AuditListInput = {}): AuditListParams {
  return auditListParamsSchema.parse(input);
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
  if (params.actor) {
    conditions.push(sql`${auditLog.actorEmail} like ${likeContains(params.actor)} escape '\\'`);
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** The log without a session check (tests, scripts, `listAuditLog`). */
export function queryAuditLog(db: DB, input: AuditListInput = {}): AuditList {
  const params = parseAuditListParams(input);
  const where = auditListWhere(params);
  const total = db.select({ n: count() }).from(auditLog).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / params.pageSize));
  const page = Math.min(params.page, pageCount);
  const targetTerminal = alias(terminals, "target_terminal");
  const targetPairing = alias(pairings, "target_pairing");
  const rows =
    total === 0
      ? []
      : db
          .select({
            id: auditLog.id,
            at: auditLog.at,
            actorEmail: auditLog.actorEmail,
            action: auditLog.action,
            targetType: auditLog.targetType,
            targetId: auditLog.targetId,
            details: auditLog.details,
            terminalRef: targetTerminal.id,
            pairingTerminalRef: targetPairing.terminalRef,
          })
          .from(auditLog)
          .leftJoin(
            targetTerminal,
            and(
              eq(auditLog.targetType, "terminal"),
              eq(targetTerminal.id, sql`cast(${auditLog.targetId} as integer)`),
            ),
          )
          .leftJoin(
            targetPairing,
            and(
              eq(auditLog.targetType, "pairing"),
              eq(targetPairing.id, sql`cast(${auditLog.targetId} as integer)`),
            ),
          )
          .where(where)
          .orderBy(desc(auditLog.at), desc(auditLog.id))
          .limit(params.pageSize)
          .offset((page - 1) * params.pageSize)
          .all();
  return {
    rows: rows.map(({ details, terminalRef, pairingTerminalRef, ...row }) => ({
      ...row,
      targetTerminalRef: terminalRef ?? pairingTerminalRef ?? null,
      details: auditDetailPairs(details),
    })),
    total,
    page,
    pageSize: params.pageSize,
    pageCount,
    params: { ...params, page },
  };
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
