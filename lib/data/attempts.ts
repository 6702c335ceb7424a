import "server-only";
import { and, count, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { requireUser } from "../auth";
import { getDb, type DB } from "../db/client";
import {
  ATTEMPT_STATUSES,
  ENVIRONMENTS,
  pairingAttempts,
  terminals,
  users,
  type AttemptStatus,
  type Environment,
} from "../db/schema";
import { likeContains } from "./terminals";

/** Pairing attempts, newest first: what support reads when a merchant says "it didn't work". */

export const ATTEMPT_PAGE_SIZE = 50;
export const ATTEMPT_STATUS_FILTERS = ["all", ...ATTEMPT_STATUSES] as const;
export const ATTEMPT_ENVIRONMENT_FILTERS = ["all", ...ENVIRONMENTS] as const;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export const attemptListParamsSchema = z.object({
  /** Pairing name, terminal id or the email of who tried. */
  q: z.preprocess(first, z.string().trim().transform((s) => s.slice(0, 100))).catch(""),
  status: z.preprocess(first, z.enum(ATTEMPT_STATUS_FILTERS)).catch("all"),
  environment: z.preprocess(first, z.enum(ATTEMPT_ENVIRONMENT_FILTERS)).catch("all"),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(1_000_000)).catch(1),
  pageSize: z.preprocess(first, z.coerce.number().int().min(1).max(200)).catch(ATTEMPT_PAGE_SIZE),
});

export type AttemptListParams = z.output<typeof attemptListParamsSchema>;
export type AttemptListInput = Partial<Record<keyof AttemptListParams, unknown>>;

export type AttemptListRow = {
  id: number;
  createdAt: Date;
  finishedAt: Date | null;
  recoveredAt: Date | null;
  createdByEmail: string | null;
  environment: Environment;
  name: string;
  status: AttemptStatus;
  /** Support-readable reason (never a secret). */
  reason: string | null;
  /** Machine-readable code from the provider adapter, e.g. otp_rejected. */
  errorCode: string | null;
  /** The provider's terminal id, once Pay-Connect answered. */
  terminalId: string | null;
  /** terminals.id when the terminal is known here: the key of /terminals/{id}. */
  terminalRef: number | null;
};

export type AttemptList = {
  rows: AttemptListRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  params: AttemptListParams;
  /** When the list was read (ms): "pending for how long" is measured from it. */
  readAt: number;
};

export function parseAttemptListParams(input: AttemptListInput = {}): AttemptListParams {
  return attemptListParamsSchema.parse(input);
}

function attemptListWhere(db: DB, params: AttemptListParams): SQL | undefined {
  const conditions: SQL[] = [];
  if (params.status !== "all") conditions.push(eq(pairingAttempts.status, params.status));
  if (params.environment !== "all") {
    conditions.push(eq(pairingAttempts.environment, params.environment));
  }
  if (params.q) {
    const pattern = likeContains(params.q);
    const byEmail = db
      .select({ id: users.id })
      .from(users)
      .where(sql`${users.email} like ${pattern} escape '\\'`);
    conditions.push(
      or(
        sql`${pairingAttempts.name} like ${pattern} escape '\\'`,
        sql`${pairingAttempts.terminalId} like ${pattern} escape '\\'`,
        inArray(pairingAttempts.createdById, byEmail),
      )!,
    );
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** The list without a session check (tests, scripts, `listAttempts`). */
export function queryAttempts(db: DB, input: AttemptListInput = {}): AttemptList {
  const params = parseAttemptListParams(input);
  const where = attemptListWhere(db, params);
  const total = db.select({ n: count() }).from(pairingAttempts).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / params.pageSize));
  const page = Math.min(params.page, pageCount);
  const rows =
    total === 0
      ? []
      : db
          .select({
            id: pairingAttempts.id,
            createdAt: pairingAttempts.createdAt,
            finishedAt: pairingAttempts.finishedAt,
            recoveredAt: pairingAttempts.recoveredAt,
            createdByEmail: users.email,
            environment: pairingAttempts.environment,
            name: pairingAttempts.name,
            status: pairingAttempts.status,
            reason: pairingAttempts.reason,
            errorCode: pairingAttempts.errorCode,
            terminalId: pairingAttempts.terminalId,
            terminalRef: terminals.id,
          })
          .from(pairingAttempts)
          .leftJoin(users, eq(users.id, pairingAttempts.createdById))
          .leftJoin(
            terminals,
            and(
              eq(terminals.environment, pairingAttempts.environment),
              eq(terminals.terminalId, pairingAttempts.terminalId),
            ),
          )
          .where(where)
          .orderBy(desc(pairingAttempts.createdAt), desc(pairingAttempts.id))
          .limit(params.pageSize)
          .offset((page - 1) * params.pageSize)
          .all();
  return {
    rows,
    total,
    page,
    pageSize: params.pageSize,
    pageCount,
    params: { ...params, page },
    readAt: Date.now(),
  };
}

/** Every pairing attempt, newest first, filtered by status, environment and `q`. */
export async function listAttempts(input: AttemptListInput = {}): Promise<AttemptList> {
  await requireUser("attempts:read");
  return queryAttempts(getDb(), input);
}
