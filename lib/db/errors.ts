/**
 * What a refused write was refused for, read the same way on both engines: SQLite says it in
 * its message ("UNIQUE constraint failed: registers.location_id, registers.name"), Postgres in
 * its error's fields (SQLSTATE 23505, the table, "Key (location_id, lower(name))=…"); drizzle
 * may wrap either in an error of its own. The rules' own refusals are "pairdesk_rule:<code>",
 * raised by the triggers on both engines (lib/registers/rules.ts names them).
 */
export type Violation =
  | { kind: "unique"; table: string; columns: string[] }
  | { kind: "check" | "foreign_key" | "not_null"; table: string | null; constraint: string | null };

type DriverError = { code?: unknown; message?: unknown; table?: unknown; constraint?: unknown; detail?: unknown; column?: unknown; cause?: unknown };

/** The driver's own error (drizzle wraps it in a DrizzleQueryError whose `cause` it is). */
function driverErrors(err: unknown): DriverError[] {
  const found: DriverError[] = [];
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 4; e = (e as DriverError).cause, depth++) {
    found.push(e as DriverError);
  }
  return found;
}

const SQLITE = /(UNIQUE|CHECK|FOREIGN KEY|NOT NULL) constraint failed(?:: (.+))?$/m;
const PG_KINDS: Record<string, "unique" | "check" | "foreign_key" | "not_null"> = {
  "23505": "unique",
  "23514": "check",
  "23503": "foreign_key",
  "23502": "not_null",
};

/** The constraint a write broke, or null when the error is not a constraint's refusal. */
export function violationOf(err: unknown): Violation | null {
  for (const e of driverErrors(err)) {
    const pgKind = typeof e.code === "string" ? PG_KINDS[e.code] : undefined;
    if (pgKind) {
      const table = typeof e.table === "string" ? e.table : null;
      if (pgKind === "unique") {
        const key = typeof e.detail === "string" ? /^Key \((.+?)\)=/.exec(e.detail)?.[1] : undefined;
        const columns = (key ?? "").split(", ").map((c) => c.replace(/^lower\((.+)\)$/, "$1").replace(/"/g, ""));
        return { kind: "unique", table: table ?? "", columns };
      }
      const constraint = typeof e.constraint === "string" ? e.constraint : typeof e.column === "string" ? e.column : null;
      return { kind: pgKind, table, constraint };
    }
    const message = typeof e.message === "string" ? e.message : "";
    const m = SQLITE.exec(message);
    if (m) {
      const kind = m[1] === "UNIQUE" ? "unique" : m[1] === "CHECK" ? "check" : m[1] === "FOREIGN KEY" ? "foreign_key" : "not_null";
      const what = (m[2] ?? "").trim();
      if (kind === "unique") {
        const parts = what.split(", ").map((p) => p.split("."));
        return { kind, table: parts[0]?.[0] ?? "", columns: parts.map((p) => p[1] ?? p[0] ?? "") };
      }
      return { kind, table: what.includes(".") ? what.split(".")[0]! : null, constraint: what || null };
    }
  }
  return null;
}

const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300", "53400"]);
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|terminating connection|is not queryable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|the database system is (starting up|shutting down|in recovery mode)|database is locked|SQLITE_BUSY|SQLITE_CANTOPEN|unable to open database file/i;

/**
 * True when the database could not be reached or is not answering (Postgres down or restarting,
 * the pool exhausted past its wait, SQLite locked past its busy timeout): the request may well
 * succeed again in a moment, and nothing it asked was written. Pages and actions say so; the
 * webhook endpoint answers 503, so that Pay-Connect sends the delivery again.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of driverErrors(err)) {
    const code = typeof e.code === "string" ? e.code : "";
    if (code.startsWith("08") || UNAVAILABLE_STATES.has(code) || code.startsWith("SQLITE_BUSY") || code === "SQLITE_CANTOPEN") return true;
    if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** The code of a rule a trigger refused the write with ("pairdesk_rule:<code>"), or null. */
export function raisedRule(err: unknown): string | null {
  for (const e of driverErrors(err)) {
    const raised = typeof e.message === "string" ? /pairdesk_rule:([a-z_]+)/.exec(e.message)?.[1] : undefined;
    if (raised) return raised;
  }
  return null;
}

/** True when `err` is a unique index's refusal (of `table`, when given). */
export function isUniqueViolation(err: unknown, table?: string): boolean {
  const v = violationOf(err);
  return v?.kind === "unique" && (table === undefined || v.table === table);
}

/** The violation in SQLite's words on both engines, for a support person: "UNIQUE constraint failed: pairings.webhook_token". */
export function describeViolation(v: Violation): string {
  if (v.kind === "unique") return `UNIQUE constraint failed: ${v.columns.map((c) => `${v.table}.${c}`).join(", ")}`;
  const kind = v.kind === "check" ? "CHECK" : v.kind === "foreign_key" ? "FOREIGN KEY" : "NOT NULL";
  return `${kind} constraint failed${v.constraint ? `: ${v.constraint}` : ""}`;
}

/**
 * A conflict with another transaction that the Postgres engine resolves by running the whole
 * transaction again (lib/db/postgres.ts): code that catches errors inside a transaction (a
 * savepoint that records a failure and goes on) must let these through rather than record them.
 */
export function isTransientConflict(err: unknown): boolean {
  return driverErrors(err).some((e) => e.code === "40001" || e.code === "40P01" || e.code === "23505");
}

/**
 * A failed query's error without the query's parameters: drizzle's error carries the values it
 * was run with (a webhook token, a session id, a search) in its message and fields, and the
 * driver's detail the key values of a unique violation. Whoever logs an error (pino, Next's own
 * log of a page that failed) would write them down. What stays: the SQL, the SQLSTATE, the table,
 * the constraint, the columns of a key; never a value.
 */
export function withoutQueryValues(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const wrapped = err as Error & { query?: unknown; params?: unknown };
  const cause = (wrapped.cause ?? null) as (DriverError & { detail?: unknown }) | null;
  if (cause && typeof cause === "object" && typeof cause.detail === "string") {
    cause.detail = cause.detail.replace(/=\(.*\)(.*)$/s, "=(…)$1");
  }
  if (typeof wrapped.query !== "string" || !("params" in wrapped)) return err;
  const clean = new Error(`Failed query: ${wrapped.query}`, { cause: cause ?? undefined });
  clean.name = "DatabaseQueryError";
  return clean;
}

/** An error for a log line: its message, and the driver's SQLSTATE and message under it (never a value). */
export function errorForLog(err: unknown): { message: string; code?: string; cause?: string } {
  const chain = driverErrors(err);
  const message = typeof chain[0]?.message === "string" ? chain[0].message : String(err);
  const driver = chain.slice(1).find((e) => typeof e.message === "string");
  const code = chain.map((e) => e.code).find((c): c is string => typeof c === "string");
  return { message, ...(code ? { code } : {}), ...(driver ? { cause: String(driver.message) } : {}) };
}
