/**
 * One writer, one transaction at a time, in the order they were asked for (SQLite).
 *
 * better-sqlite3 runs a statement synchronously, but a transaction whose body awaits (as every
 * transaction in Pairdesk does, so that the same code runs on Postgres) gives the event loop
 * back between its statements. On a shared connection another request's statement would then
 * run INSIDE the open transaction: committed with it, or rolled back with it. The queue makes
 * each transaction wait until the one before it has committed or rolled back.
 *
 * A transaction's body must not wait on anything but the database (no HTTP call, no timer):
 * every write in the process waits behind it.
 *
 * Savepoints (`tx.transaction`) run inside the open transaction, without queueing. Calling
 * `db.transaction` again from inside a transaction would wait for itself forever: it throws.
 */
import type Database from "better-sqlite3";
import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";

export type TransactionBehavior = "deferred" | "immediate" | "exclusive";

type Open = { open: boolean; savepoints: number };

/** The queue of one database file in this process: shared by every connection opened on it. */
type FileLock = { tail: Promise<unknown>; context: AsyncLocalStorage<Open> };

const globalForLocks = globalThis as unknown as { __pairdeskWriteLocks?: Map<string, FileLock> };
const locks = (globalForLocks.__pairdeskWriteLocks ??= new Map());

/**
 * Several connections to one file in one process (the tests' racing requests, an operator
 * command's second handle) share its queue: otherwise one connection's BEGIN would wait, blocking
 * the whole process in SQLite's busy handler, for a transaction that cannot go on until it returns.
 */
function lockOf(file: string): FileLock {
  const fresh = (): FileLock => ({ tail: Promise.resolve(), context: new AsyncLocalStorage<Open>() });
  if (file === ":memory:") return fresh();
  const key = path.resolve(file);
  let lock = locks.get(key);
  if (!lock) locks.set(key, (lock = fresh()));
  return lock;
}

export class WriteQueue {
  private readonly lock: FileLock;

  constructor(
    private readonly sqlite: Database.Database,
    file: string,
  ) {
    this.lock = lockOf(file);
  }

  private get context(): AsyncLocalStorage<Open> {
    return this.lock.context;
  }

  /** True while the calling async context has a transaction open (on any connection to this file). */
  insideTransaction(): boolean {
    return this.context.getStore()?.open === true;
  }

  transaction<T>(body: () => Promise<T>, behavior: TransactionBehavior = "deferred"): Promise<T> {
    if (this.insideTransaction()) {
      return Promise.reject(new Error("db.transaction inside a transaction would wait for itself: use tx.transaction (a savepoint)."));
    }
    const run = () => this.context.run({ open: true, savepoints: 0 }, () => this.inTransaction(body, behavior));
    const result = this.lock.tail.then(run, run);
    this.lock.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async inTransaction<T>(body: () => Promise<T>, behavior: TransactionBehavior): Promise<T> {
    const state = this.context.getStore()!;
    this.sqlite.prepare(`BEGIN ${behavior.toUpperCase()}`).run();
    try {
      const value = await body();
      this.sqlite.prepare("COMMIT").run();
      return value;
    } catch (err) {
      if (this.sqlite.inTransaction) this.sqlite.prepare("ROLLBACK").run();
      throw err;
    } finally {
      state.open = false;
    }
  }

  /** A savepoint inside the open transaction: its writes are undone alone when `body` throws. */
  async savepoint<T>(body: () => Promise<T>): Promise<T> {
    const state = this.context.getStore();
    if (!state?.open) throw new Error("tx.transaction outside its transaction.");
    const name = `sp${++state.savepoints}`;
    this.sqlite.prepare(`SAVEPOINT ${name}`).run();
    try {
      const value = await body();
      this.sqlite.prepare(`RELEASE ${name}`).run();
      return value;
    } catch (err) {
      if (this.sqlite.inTransaction) {
        this.sqlite.prepare(`ROLLBACK TO ${name}`).run();
        this.sqlite.prepare(`RELEASE ${name}`).run();
      }
      throw err;
    }
  }
}
