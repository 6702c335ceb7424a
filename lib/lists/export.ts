import "server-only";
import { eq } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import type { Access } from "../auth/access";
import type { QueryContext } from "../auth/scope";
import { merchants } from "../db/schema";
import { isMerchantRole } from "../domain";
import { csvFilename, csvResponse, csvStream, type CsvColumn } from "./csv";
import { firstRow } from "../db/query";

/**
 * A list's CSV export, for its route handler (wrapped in withAccess with the list's merchant
 * view, which checked the session and the read permission: 401 / 403 with a plain message, no
 * rows): scopes the rows as the list page does (the switcher's merchant for staff, their own
 * merchant for a merchant's people), records who exported what with which filters in the audit
 * log, and streams the rows in batches.
 */
export async function exportList<T>(
  { user, ctx }: Access,
  {
    list,
    filters,
    columns,
    fetchBatch,
  }: {
    /** "terminals", "attempts", "audit": the file name and the audit detail. */
    list: string;
    /** The filters and sort in force, for the audit entry (never a secret: these are URL values). */
    filters: Record<string, string | number>;
    /** The columns, or a function choosing them by reader (a merchant column for staff only). */
    columns: readonly CsvColumn<T>[] | ((reader: { staff: boolean }) => readonly CsvColumn<T>[]);
    fetchBatch: (ctx: QueryContext, offset: number, limit: number) => Promise<T[]>;
  },
): Promise<Response> {
  // The entry belongs to the merchant exported, if it exists (a staff member's `?merchant=` may
  // name none: that export is empty and staff-only). A merchant's people's `?merchant=` changed
  // nothing, so it is not recorded as if it had.
  const scoped = ctx.scope.kind === "merchant" ? ctx.scope.merchantId : null;
  const merchantId =
    scoped !== null && await firstRow(ctx.db.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, scoped)).limit(1)) ? scoped : null;
  const recorded: Record<string, string | number> = { ...filters };
  if (isMerchantRole(user.role)) delete recorded.merchant;
  await writeAudit(ctx.db, {
    actor: { id: user.id, email: user.email },
    merchantId,
    action: "list.export",
    details: { list, ...recorded },
  });
  const chosen = typeof columns === "function" ? columns({ staff: !isMerchantRole(user.role) }) : columns;
  return csvResponse(csvFilename(list), csvStream(chosen, (offset, limit) => fetchBatch(ctx, offset, limit)));
}
