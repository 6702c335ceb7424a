/**
 * Builds every table with one kit (./kit.ts): SQLite's or Postgres's. A table file's foreign keys
 * name other tables through `s()`, the schema being built, so that files may point at each other.
 */
import type { Kit } from "./kit";
import { merchantTables } from "./merchants";
import { userTables } from "./users";
import { authTables } from "./auth";
import { pairingTables } from "./pairing";
import { registerTables } from "./registers";
import { transactionTables } from "./transactions";
import { webhookTables } from "./webhooks";
import { auditTables } from "./audit";
import { pollerTables } from "./poller";

export type Schema = ReturnType<typeof merchantTables> &
  ReturnType<typeof userTables> &
  ReturnType<typeof authTables> &
  ReturnType<typeof pairingTables> &
  ReturnType<typeof registerTables> &
  ReturnType<typeof transactionTables> &
  ReturnType<typeof webhookTables> &
  ReturnType<typeof auditTables> &
  ReturnType<typeof pollerTables>;

export function buildSchema(k: Kit): Schema {
  // Followed lazily (drizzle reads a foreign key's target once every table exists).
  const s = (): Schema => schema;
  const schema: Schema = {
    ...merchantTables(k),
    ...userTables(k, s),
    ...authTables(k, s),
    ...pairingTables(k, s),
    ...registerTables(k, s),
    ...transactionTables(k, s),
    ...webhookTables(k, s),
    ...auditTables(k, s),
    ...pollerTables(k),
  };
  return schema;
}
