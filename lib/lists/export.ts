import "server-only";
import { AuthError } from "../auth";
import { writeAudit } from "../audit";
import { access } from "../data/access";
import type { QueryContext } from "../data/scope";
import type { Permission } from "../permissions";
import { csvFilename, csvResponse, csvStream, type CsvColumn } from "./csv";

/**
 * A list's CSV export, for its route handler: checks the session and the read permission itself
 * (401 / 403 with a plain message, no rows), scopes the rows as the list page does (the
 * switcher's merchant for staff, their own merchant for a merchant's people), records who
 * exported what with which filters in the audit log, and streams the rows in batches.
 */
export async function exportList<T>({
  list,
  permission,
  merchant,
  filters,
  columns,
  fetchBatch,
}: {
  /** "terminals", "attempts", "audit": the file name and the audit detail. */
  list: string;
  permission: Permission;
  /** The switcher's `?merchant=` (ignored for a merchant's people). */
  merchant: number | null;
  /** The filters and sort in force, for the audit entry (never a secret: these are URL values). */
  filters: Record<string, string | number>;
  columns: readonly CsvColumn<T>[];
  fetchBatch: (ctx: QueryContext, offset: number, limit: number) => T[];
}): Promise<Response> {
  let granted;
  try {
    granted = await access(permission, { merchant });
  } catch (err) {
    if (err instanceof AuthError) {
      return new Response(`${err.message}\n`, {
        status: err.status,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
    throw err;
  }
  const { user, ctx } = granted;
  writeAudit(ctx.db, {
    actor: { id: user.id, email: user.email },
    merchantId: ctx.scope.kind === "merchant" ? ctx.scope.merchantId : null,
    action: "list.export",
    details: { list, ...filters },
  });
  return csvResponse(csvFilename(list), csvStream(columns, (offset, limit) => fetchBatch(ctx, offset, limit)));
}
