// The poller's tables (lib/poller/).
import { type Kit } from "./kit";

export function pollerTables(k: Kit) {
  /**
   * Background workers that must run once per database (the poller): a lease with an expiry, taken
   * over when its holder stops renewing it, and the figures of the last run.
   */
  const workers = k.table("workers", {
    name: k.text("name").primaryKey(),
    /** Who holds the lease (host:pid:random), null when released. */
    holder: k.text("holder"),
    leaseExpiresAt: k.time("lease_expires_at"),
    lastRunAt: k.time("last_run_at"),
    lastRunMs: k.int("last_run_ms"),
    /** Items handled in the last run and how many of them failed. */
    lastRunCount: k.int("last_run_count"),
    lastRunErrors: k.int("last_run_errors"),
    /** How late the most overdue item was at the last run (ms). */
    lagMs: k.int("lag_ms"),
    errorsTotal: k.int("errors_total").notNull().default(0),
    lastError: k.text("last_error"),
    lastErrorAt: k.time("last_error_at"),
    updatedAt: k.time("updated_at").notNull().default(k.now),
  });
  return { workers };
}
