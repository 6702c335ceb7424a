/**
 * Prepared queries kept per connection, for hot paths (the webhook endpoint and what it applies):
 * a drizzle query built once with placeholders and `.prepare()`d once, then run with values.
 * Building a query and having SQLite compile it cost more than running it, on every call.
 * Keyed by the connection's session, so that a transaction (which shares its connection's
 * session) uses the same statements. No `server-only`: tests and scripts use it.
 */
import type { DB, Tx } from "./open";

const cache = new WeakMap<object, Map<string, unknown>>();

export function prepared<D extends DB | Tx, T>(db: D, key: string, make: (db: D) => T): T {
  const session = (db as unknown as { session: object }).session;
  let queries = cache.get(session);
  if (!queries) {
    queries = new Map();
    cache.set(session, queries);
  }
  let query = queries.get(key) as T | undefined;
  if (query === undefined) {
    query = make(db);
    queries.set(key, query);
  }
  return query;
}
