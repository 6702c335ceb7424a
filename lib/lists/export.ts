import "server-only";
import { AuthError, requireUser } from "../auth";
import { writeAudit } from "../audit";
import { getDb, type DB } from "../db/client";
import type { Permission } from "../permissions";
import { csvFilename, csvResponse, csvStream, type CsvColumn } from "./csv";

/**
 * A list's CSV export, for its route handler: checks the session and the read permission itself
 * (401 / 403 with a plain message, no rows), records who exported what with which filters in the
 * audit log, and streams the filtered rows in batches.
 */
export async function exportList<T>({
  list,
  permission,
  filters,
  columns,
  fetchBatch,
}: {
  /** "terminals", "attempts", "audit": the file name and the audit detail. */
  list: string;
  permission: Permission;
  /** The filters and sort in force, for the audit entry (never a secret: these are URL values). */
  filters: Record<string, string | number>;
  columns: readonly CsvColumn<T>[];
  fetchBatch: (db: DB, offset: number, limit: number) => T[];
}): Promise<Response> {
  let user;
  try {
    user = await requireUser(permission);
  } catch (err) {
    if (err instanceof AuthError) {
      return new Response(`${err.message}\n`, {
        status: err.status,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
    throw err;
  }
  const db = getDb();
  writeAudit(db, {
    actor: { id: user.id, email: user.email },
    action: "list.export",
    details: { list, ...filters },
  });
  return csvResponse(csvFilename(list), csvStream(columns, (offset, limit) => fetchBatch(db, offset, limit)));
}
