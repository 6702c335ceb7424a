/**
 * The Postgres engine (DATABASE_URL=postgres://…): the same `DB` and `Tx` as SQLite's
 * (lib/db/open.ts), over a node-postgres pool, so that every query above lib/db/ runs unchanged.
 *
 * - **Writes are SERIALIZABLE, retried.** SQLite runs one write transaction at a time; several
 *   instances on one Postgres do not. Every `db.transaction` runs at SERIALIZABLE isolation, and
 *   one that Postgres aborts to keep that promise (40001 serialization failure, 40P01 deadlock)
 *   runs again from the start, up to 25 times, after a short random pause (a unique violation,
 *   often another instance's insert of the same row, up to 3 times). So each transaction's
 *   checks (the refund that must fit in what remains, the one open completion, the route to an
 *   active pairing, the throttle's count) hold as if it ran alone, with no lock written in the
 *   code, exactly as the single writer makes them hold on SQLite. A transaction's body may run
 *   more than once: it must not call out (no HTTP, no timer), which the write queue already asks.
 * - **Reads** outside a transaction go to the pool as single statements (each sees what was
 *   committed). A read through `db` while this request has a transaction open is refused, as on
 *   SQLite: it would not see the transaction's own writes.
 * - **Migrations at start, once.** The pool hands out no connection until the migrations have
 *   run, under an advisory lock: several instances starting together migrate once, the others
 *   wait for it and find nothing to do.
 * - **Numbers.** bigint (int8) and numeric come back as JS numbers, as SQLite's integers do
 *   (ids, epoch milliseconds and minor units all stay far below 2^53). This is set on the `pg`
 *   module's type parsers, for the whole process: drizzle's queries read them from there.
 */
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import pg from "pg";
import type { Schema } from "./schema/build";
import { postgresSchema } from "./schema/postgres";

pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

const POSTGRES_MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle", "postgres");

/** The advisory lock the migrations run under (any constant all instances agree on). */
const MIGRATION_LOCK = 0x5041_4952; // "PAIR"

export type PostgresOptions = {
  migrate?: boolean;
  /** DATABASE_POOL_SIZE: connections this instance keeps at most. */
  poolSize?: number;
  /** How long a statement may run before Postgres cancels it. */
  statementTimeoutMs?: number;
  /** How long a request waits for a free connection before it is refused (pool exhausted). */
  connectionTimeoutMs?: number;
  /** Applied to each transaction's drizzle instance (lib/db/open.ts: errors without values). */
  guard?: <D extends object>(db: D) => D;
};

/** SQLSTATEs after which a serializable transaction is simply run again. */
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 25;
/**
 * A unique violation inside a serializable transaction is most often another instance's insert
 * of the same row (the same webhook to both, two submits of one form) that Postgres reports as
 * such rather than as a conflict: run again, the transaction finds the row and acts on it. A
 * few times only: a plain duplicate stays a duplicate, and the last run's body handles it.
 */
const UNIQUE_VIOLATION = "23505";
const UNIQUE_ATTEMPTS = 3;

/** Capped exponential backoff with full jitter: under contention the runs spread out. */
const backoffMs = (attempt: number) => Math.random() * Math.min(100, 2 ** attempt);

/** The SQLSTATE of a driver error, also when drizzle wrapped it (DrizzleQueryError's cause). */
function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

type Open = { open: boolean; savepoints: number };

/** A pool that hands out connections only once the migrations have run (or failed: then the error). */
class MigratedPool extends pg.Pool {
  ready: Promise<void> = Promise.resolve();

  // pg's Pool.query takes a connection through connect(callback): both forms wait.
  connect(): Promise<pg.PoolClient>;
  connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    if (!callback) return this.ready.then(() => super.connect());
    this.ready.then(
      () => super.connect(callback as never),
      (err: Error) => callback(err, undefined, () => undefined),
    );
  }
}

export type PostgresHandles = {
  pool: pg.Pool;
  reader: NodePgDatabase<Schema>;
  ready: Promise<void>;
  insideTransaction(): boolean;
  transaction<T>(fn: (tx: NodePgDatabase<Schema>) => Promise<T>): Promise<T>;
};

export function openPostgres(url: string, options: PostgresOptions = {}): PostgresHandles {
  const connection = {
    connectionString: url,
    application_name: "pairdesk",
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    // A transaction left open by a crashed request does not hold its locks for ever.
    idle_in_transaction_session_timeout: 60_000,
  };
  const pool = new MigratedPool({
    ...connection,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000,
  });
  // A connection the server closed (a restart) is an event, not a crash: an idle one the pool
  // drops; one in use fails its query, and its own 'error' event must not go unheard (an
  // uncaught exception in the server).
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  if (options.migrate !== false) pool.ready = migratePostgres(connection);
  pool.ready.catch(() => undefined); // seen by whoever awaits `ready` or queries

  const schema = postgresSchema;
  const reader = drizzle(pool, { schema });
  const context = new AsyncLocalStorage<Open>();
  const insideTransaction = () => context.getStore()?.open === true;

  async function transaction<T>(fn: (tx: NodePgDatabase<Schema>) => Promise<T>): Promise<T> {
    if (insideTransaction()) throw new Error("db.transaction inside a transaction: use tx.transaction (a savepoint).");
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await once(client, fn, attempt < UNIQUE_ATTEMPTS);
      } catch (err) {
        if (err instanceof BrokenConnection || isConnectionError(err)) broken = err as Error;
        const code = sqlState(err);
        const retry = code !== undefined && (RETRYABLE.has(code) ? attempt < MAX_ATTEMPTS : code === UNIQUE_VIOLATION && attempt < UNIQUE_ATTEMPTS);
        if (broken || !retry) throw err instanceof BrokenConnection ? err.cause : err;
      } finally {
        client.release(broken);
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }

  async function once<T>(client: pg.PoolClient, fn: (tx: NodePgDatabase<Schema>) => Promise<T>, retryUnique: boolean): Promise<T> {
    const state: Open = { open: true, savepoints: 0 };
    // A statement Postgres refused for a conflict dooms the whole transaction, even when the body
    // caught it (a savepoint that records a failure and goes on, as the webhook inbox does): it
    // runs again from the start instead of committing what it believed.
    let doomed: unknown;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((err: unknown) => {
          const code = sqlState(err);
          if (code && (RETRYABLE.has(code) || (retryUnique && code === UNIQUE_VIOLATION))) doomed ??= err;
        });
      }
      return result;
    };
    try {
      return await attempt(client, state, fn, () => doomed);
    } catch (err) {
      throw doomed && !(err instanceof BrokenConnection) ? doomed : err;
    } finally {
      delete (client as unknown as { query?: unknown }).query; // the prototype's again, for the next user of the connection
    }
  }

  async function attempt<T>(client: pg.PoolClient, state: Open, fn: (tx: NodePgDatabase<Schema>) => Promise<T>, doomed: () => unknown): Promise<T> {
    const tx = (options.guard ?? ((d) => d))(drizzle(client, { schema }));
    // tx.transaction: a savepoint on this transaction's connection.
    Object.defineProperty(tx, "transaction", {
      value: <U>(inner: (t: NodePgDatabase<Schema>) => Promise<U>) => savepoint(client, () => inner(tx)),
    });
    await client.query("begin isolation level serializable");
    try {
      const value = await context.run(state, () => fn(tx));
      const conflict = doomed();
      if (conflict) throw conflict; // rolled back below, never committed
      await client.query("commit");
      return value;
    } catch (err) {
      try {
        await client.query("rollback");
      } catch {
        throw new BrokenConnection(err);
      }
      throw err;
    } finally {
      state.open = false;
    }
  }

  async function savepoint<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
    const state = context.getStore();
    if (!state?.open) throw new Error("tx.transaction outside its transaction.");
    const name = `sp${++state.savepoints}`;
    await client.query(`savepoint ${name}`);
    try {
      const value = await fn();
      await client.query(`release savepoint ${name}`);
      return value;
    } catch (err) {
      await client.query(`rollback to savepoint ${name}`);
      throw err;
    }
  }

  return { pool, reader, ready: pool.ready, insideTransaction, transaction };
}

/** The rollback failed too: the connection is gone; `cause` is what failed first. */
class BrokenConnection extends Error {
  constructor(override readonly cause: unknown) {
    super("The database connection broke during a transaction.");
  }
}

/** A connection that is no use any more (the server went away): released as broken, not reused. */
function isConnectionError(err: unknown): boolean {
  const code = sqlState(err);
  if (code?.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03") return true;
  const message = err instanceof Error ? err.message : "";
  return /Connection terminated|ECONNRESET|ECONNREFUSED|EPIPE/i.test(message);
}

/** Applies drizzle/postgres/ on a connection of its own, under an advisory lock held for the run. */
async function migratePostgres(connection: pg.ClientConfig): Promise<void> {
  const client = new pg.Client(connection);
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder: POSTGRES_MIGRATIONS_FOLDER });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}
