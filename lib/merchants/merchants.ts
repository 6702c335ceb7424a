/**
 * Merchants: creating, renaming, suspending and reactivating them, and choosing the merchant a
 * pairing goes into. One place for the rules, used by the Merchants page (staff admins), the
 * pairing action and the operator commands (`npm run merchant`, `npm run user`). No
 * `server-only`, so the commands can import it.
 */
import { owningMerchant } from "../auth/scope";
import { DomainError } from "../errors";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/audit";
import type { DB, Tx } from "../db/open";
import { merchants, users, type MerchantStatus } from "../db/schema";
import { isMerchantRole, type Role } from "../domain";
import { endAllSessions } from "../auth/sessions";
import { firstRow, returnedRow, caseless } from "../db/query";

const MERCHANT_NAME_MAX = 100;
const EXTERNAL_REF_MAX = 100;

const merchantNameSchema = z
  .string({ error: "Enter the merchant's name." })
  .trim()
  .min(1, "Enter the merchant's name.")
  .max(MERCHANT_NAME_MAX, `A merchant's name has at most ${MERCHANT_NAME_MAX} characters.`);

/** Optional: empty means none. */
const externalRefSchema = z
  .string()
  .trim()
  .max(EXTERNAL_REF_MAX, `The external reference has at most ${EXTERNAL_REF_MAX} characters.`)
  .nullish()
  .transform((v) => (v ? v : null));

export const merchantFormSchema = z.object({ name: merchantNameSchema, externalRef: externalRefSchema });
export type MerchantForm = { name: string; externalRef?: string | null };

/** A refusal about one field of a merchant's form ("invalid", "conflict"), or one gone ("not_found"). */
const merchantError = (message: string, field: string, code = "invalid") => new DomainError(code, message, { field });

type Actor = { id: number; email: string } | null;

export type MerchantRow = {
  id: number;
  name: string;
  status: MerchantStatus;
  externalRef: string | null;
};

const columns = { id: merchants.id, name: merchants.name, status: merchants.status, externalRef: merchants.externalRef };

function parse(input: MerchantForm) {
  const parsed = merchantFormSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw merchantError(issue.message, String(issue.path[0]));
  }
  return parsed.data;
}

/** The clash a unique index reported, in words (names are unique whatever their case). */
async function clash(tx: DB | Tx, name: string, externalRef: string | null, exceptId?: number): Promise<DomainError | null> {
  const sameName = await firstRow(tx
    .select({ id: merchants.id, name: merchants.name })
    .from(merchants)
    .where(sql`${caseless(merchants.name)} = ${caseless(sql`${name}`)}`).limit(1));
  if (sameName && sameName.id !== exceptId) {
    return merchantError(`A merchant named “${sameName.name}” already exists.`, "name", "conflict");
  }
  if (externalRef !== null) {
    const sameRef = await firstRow(tx
      .select({ id: merchants.id, name: merchants.name })
      .from(merchants)
      .where(and(isNotNull(merchants.externalRef), eq(merchants.externalRef, externalRef))).limit(1));
    if (sameRef && sameRef.id !== exceptId) {
      return merchantError(`The merchant “${sameRef.name}” already has the external reference ${externalRef}.`, "externalRef", "conflict");
    }
  }
  return null;
}

/** Creates an active merchant; audited (actor null: an operator command). */
export async function createMerchant(db: DB, input: MerchantForm, actor: Actor): Promise<MerchantRow> {
  const { name, externalRef } = parse(input);
  return db.transaction(
    async (tx) => {
      const refused = await clash(tx, name, externalRef);
      if (refused) throw refused;
      const row = await returnedRow(tx.insert(merchants).values({ name, externalRef }).returning(columns));
      await writeAudit(tx, {
        actor,
        merchantId: row.id,
        action: "merchant.create",
        targetType: "merchant",
        targetId: row.id,
        details: { name, externalRef },
      });
      return row;
    },
    { behavior: "immediate" },
  );
}

/** Renames a merchant and/or changes its external reference. Null when nothing changed. */
export async function updateMerchant(db: DB, merchantId: number, input: MerchantForm, actor: Actor): Promise<MerchantRow | null> {
  const { name, externalRef } = parse(input);
  return db.transaction(
    async (tx) => {
      const before = await firstRow(tx.select(columns).from(merchants).where(eq(merchants.id, merchantId)).limit(1));
      if (!before) throw merchantError("That merchant no longer exists. Reload the page.", "merchant", "not_found");
      if (before.name === name && before.externalRef === externalRef) return null;
      const refused = await clash(tx, name, externalRef, merchantId);
      if (refused) throw refused;
      const row = await firstRow(tx
        .update(merchants)
        .set({ name, externalRef, updatedAt: new Date() })
        .where(eq(merchants.id, merchantId))
        .returning(columns));
      await writeAudit(tx, {
        actor,
        merchantId,
        action: "merchant.rename",
        targetType: "merchant",
        targetId: merchantId,
        details: {
          from: before.name,
          to: name,
          ...(before.externalRef !== externalRef ? { externalRefFrom: before.externalRef, externalRefTo: externalRef } : {}),
        },
      });
      return row!;
    },
    { behavior: "immediate" },
  );
}

/**
 * Suspends or reactivates a merchant. Suspending ends every session of its people (they cannot
 * sign in until it is reactivated) and stops new pairings into it; its data stays, readable by
 * staff. Returns the merchant and whether anything changed.
 */
export async function setMerchantStatus(
  db: DB,
  merchantId: number,
  status: MerchantStatus,
  actor: Actor,
): Promise<{ merchant: MerchantRow; changed: boolean; sessionsEnded: number }> {
  return db.transaction(
    async (tx) => {
      const before = await firstRow(tx.select(columns).from(merchants).where(eq(merchants.id, merchantId)).limit(1));
      if (!before) throw merchantError("That merchant no longer exists. Reload the page.", "merchant", "not_found");
      if (before.status === status) return { merchant: before, changed: false, sessionsEnded: 0 };
      await tx.update(merchants).set({ status, updatedAt: new Date() }).where(eq(merchants.id, merchantId));
      let sessionsEnded = 0;
      if (status === "suspended") {
        const people = await tx.select({ id: users.id }).from(users).where(eq(users.merchantId, merchantId));
        for (const p of people) sessionsEnded += await endAllSessions(tx, p.id, "merchant_suspended");
      }
      await writeAudit(tx, {
        actor,
        merchantId,
        action: status === "suspended" ? "merchant.suspend" : "merchant.reactivate",
        targetType: "merchant",
        targetId: merchantId,
        details: { name: before.name, ...(status === "suspended" ? { sessionsEnded } : {}) },
      });
      return { merchant: { ...before, status }, changed: true, sessionsEnded };
    },
    { behavior: "immediate" },
  );
}

/** A merchant by id (digits) or by its exact name (case-insensitive): for the commands. */
export async function findMerchant(db: DB | Tx, idOrName: string): Promise<MerchantRow | undefined> {
  const value = idOrName.trim();
  if (/^\d{1,12}$/.test(value)) {
    const byId = await firstRow(db.select(columns).from(merchants).where(eq(merchants.id, Number(value))).limit(1));
    if (byId) return byId;
  }
  return await firstRow(db.select(columns).from(merchants).where(sql`${caseless(merchants.name)} = ${caseless(sql`${value}`)}`).limit(1));
}

export type PairingMerchant = { ok: true; merchantId: number } | { ok: false; message: string };

export const CHOOSE_MERCHANT = "Choose the merchant this terminal belongs to.";

/**
 * The merchant a pairing goes into: a merchant's people pair into their own (whatever the form
 * says), staff into the one they chose. Refused for a suspended or unknown merchant.
 */
export async function merchantToPairInto(
  db: DB | Tx,
  user: { role: Role; merchantId: number | null },
  chosen: number | null | undefined,
): Promise<PairingMerchant> {
  let merchantId: number;
  try {
    merchantId = owningMerchant(user, chosen, CHOOSE_MERCHANT);
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message };
    throw err;
  }
  const merchant = await firstRow(db.select(columns).from(merchants).where(eq(merchants.id, merchantId)).limit(1));
  if (!merchant) return { ok: false, message: "That merchant does not exist. Reload the page and choose again." };
  if (merchant.status === "suspended") {
    return {
      ok: false,
      message: isMerchantRole(user.role)
        ? "Your merchant is suspended: nothing can be paired into it."
        : `${merchant.name} is suspended: nothing can be paired into it. Reactivate it on the Merchants page first.`,
    };
  }
  return { ok: true, merchantId };
}
