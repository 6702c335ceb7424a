// The poller's tables (lib/poller/).
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { now } from "./columns";

/**
 * Background workers that must run once per database (the poller): a lease with an expiry, taken
 * over when its holder stops renewing it, and the figures of the last run.
 */
export const workers = sqliteTable("workers", {
  name: text("name").primaryKey(),
  /** Who holds the lease (host:pid:random), null when released. */
  holder: text("holder"),
  leaseExpiresAt: integer("lease_expires_at", { mode: "timestamp_ms" }),
  lastRunAt: integer("last_run_at", { mode: "timestamp_ms" }),
  lastRunMs: integer("last_run_ms"),
  /** Items handled in the last run and how many of them failed. */
  lastRunCount: integer("last_run_count"),
  lastRunErrors: integer("last_run_errors"),
  /** How late the most overdue item was at the last run (ms). */
  lagMs: integer("lag_ms"),
  errorsTotal: integer("errors_total").notNull().default(0),
  lastError: text("last_error"),
  lastErrorAt: integer("last_error_at", { mode: "timestamp_ms" }),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
});
