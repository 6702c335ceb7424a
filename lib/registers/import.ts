/**
 * Importing registers from CSV (lib/registers/csv-parse.ts parses, csv-plan.ts plans): a dry run shows
 * what would be created and every row's error; the import itself parses and plans again inside
 * one write transaction, against the database as it is then, and writes all or nothing. A row
 * that matches an existing register exactly creates nothing, so the same file imported twice
 * creates nothing new.
 */
import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { writeAudit } from "../audit/audit";
import { queryImportExisting } from "./queries";
import { queryContext, type QueryContext, scopedCommands } from "../auth/scope";
import type { DB } from "../db/client";
import { registers } from "../db/schema";
import { parseRegisterCsv, type ImportError } from "./csv-parse";
import { nameKey, planRegisterImport, type ImportPlan } from "./csv-plan";
import { writableMerchant, type Actor } from "./locations";
import { insertRegister } from "./registers";
import { ruleOf, RULE_MESSAGES } from "./rules";

export type ImportOutcome =
  | { ok: true; plan: ImportPlan; created: number }
  | { ok: false; errors: ImportError[] };

/** Parse and plan against `db` (the database, or the import's transaction). */
async function plan(db: DB, ctx: QueryContext, merchantId: number, text: string): Promise<ImportOutcome> {
  const parsed = parseRegisterCsv(text);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const planned = planRegisterImport(parsed.rows, await queryImportExisting(queryContext(db, ctx.scope), merchantId));
  if (!planned.ok) return { ok: false, errors: planned.errors };
  return { ok: true, plan: planned.plan, created: 0 };
}

/** The dry run: what the import would do, or why it would do nothing. Writes nothing. */
export async function previewImport(ctx: QueryContext, merchantId: number, text: string): Promise<ImportOutcome> {
  await writableMerchant(ctx.db, ctx.scope, merchantId);
  return plan(ctx.db, ctx, merchantId, text);
}

/** The import: all rows or none, planned again inside the transaction. */
export async function applyImport(ctx: QueryContext, merchantId: number, text: string, actor: Actor): Promise<ImportOutcome> {
  const ROLLBACK = Symbol("rollback");
  let refusal: ImportOutcome | null = null;
  try {
    return await ctx.db.transaction(
      async (tx) => {
        await writableMerchant(tx, ctx.scope, merchantId);
        const planned = await plan(tx as unknown as DB, ctx, merchantId, text);
        if (!planned.ok) return planned;
        let created = 0;
        for (const row of planned.plan.create) {
          let parentId: number | null = null;
          if (row.kind === "virtual" && row.parentName !== null) {
            // Matched as the plan matches names (nameKey: Unicode case and normalisation), among
            // the location's registers now, those this import just created included.
            const key = nameKey(row.parentName);
            parentId =
              (await tx
                .select({ id: registers.id, name: registers.name })
                .from(registers)
                .where(and(eq(registers.locationId, row.locationId), eq(registers.kind, "physical"), isNull(registers.archivedAt))))
                .find((r) => nameKey(r.name) === key)?.id ?? null;
          }
          try {
            await insertRegister(
              tx,
              ctx.scope,
              {
                locationId: row.locationId,
                kind: row.kind,
                parentId,
                // As the forms keep names: trimmed, inner white space one space.
                name: row.name.trim().replace(/\s+/g, " "),
                externalRef: row.externalRef,
              },
              actor,
            );
          } catch (err) {
            const code = ruleOf(err);
            if (!code) throw err;
            refusal = { ok: false, errors: [{ line: row.line, column: null, message: RULE_MESSAGES[code] }] };
            throw ROLLBACK;
          }
          created++;
        }
        await writeAudit(tx, {
          actor,
          merchantId,
          action: "register.import",
          details: { created, unchanged: planned.plan.unchanged.length },
        });
        return { ok: true, plan: planned.plan, created };
      },
      { behavior: "immediate" },
    );
  } catch (err) {
    if (err === ROLLBACK && refusal) return refusal;
    throw err;
  }
}

scopedCommands(previewImport, applyImport);
