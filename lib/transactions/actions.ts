"use server";

/**
 * The transaction operations' server actions: each goes through validatedAction (session,
 * permission, zod) and lib/transactions/operations.ts, which checks the role, the scope and the
 * state again. Amounts arrive as typed ("12,50") and are read in the currency's minor units.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionContext } from "../auth/access";
import { scopeWhere } from "../auth/scope";
import { terminals, transactions } from "../db/schema";
import { parseAmount } from "./money";
import { refreshConfiguration } from "./configuration";
import { providerDeps as deps } from "./deps";
import { runOperation } from "./operations";
import { validatedAction, type ActionResult } from "../auth/safe-action";

const id = z.coerce.number({ error: "Missing id." }).int().positive();
const requestKey = z.string().uuid("This form is out of date: reload the page.");

export const chargeAction = validatedAction(
  "charge",
  "transactions:charge",
  z.object({
    requestKey,
    terminalId: id,
    registerId: z.union([z.literal(""), id]).optional(),
    kind: z.enum(["charge", "preauth", "independent_refund"]).default("charge"),
    amount: z.string().max(40),
    paymentMethod: z.string().trim().max(100).optional(),
  }),
  async (input, user): Promise<ActionResult<{ transactionId: number | null }>> => {
    const ctx = actionContext(user);
    const terminal = ctx.db
      .select({ currency: terminals.currency })
      .from(terminals)
      .where(and(eq(terminals.id, input.terminalId), scopeWhere(ctx.scope, terminals.merchantId)))
      .get();
    if (!terminal) return { ok: false, error: "That terminal does not exist.", code: "not_found" };
    const amount = parseAmount(input.amount, terminal.currency);
    if (!amount.ok) return { ok: false, error: "Some fields need attention.", fieldErrors: { amount: [amount.error] }, code: "invalid" };
    const out = await runOperation(ctx, deps, user, {
      kind: input.kind,
      requestKey: input.requestKey,
      terminalRef: input.terminalId,
      registerRef: typeof input.registerId === "number" ? input.registerId : null,
      amount: amount.minor,
      paymentMethod: input.paymentMethod || null,
    });
    if (!out.ok) {
      // A try that reached the provider left a record (and perhaps a "credentials refused" mark): the page shows it.
      if (out.operationId !== undefined) revalidatePath("/", "layout");
      return { ok: false, error: out.error, code: out.code, ...(out.retryable ? { retryKey: randomUUID() } : {}) };
    }
    revalidatePath("/", "layout");
    return { ok: true, data: { transactionId: out.transactionRef }, message: out.message };
  },
);

export const transactionOperationAction = validatedAction(
  "transactionOperation",
  "transactions:operate",
  z.object({
    requestKey,
    transactionId: id,
    kind: z.enum(["cancel", "refund", "revert", "preauth_complete", "preauth_increment"]),
    amount: z.string().max(40).optional(),
  }),
  async (input, user): Promise<ActionResult<{ transactionId: number | null }>> => {
    const ctx = actionContext(user);
    const t = ctx.db
      .select({ currency: transactions.currency })
      .from(transactions)
      .where(and(eq(transactions.id, input.transactionId), scopeWhere(ctx.scope, transactions.merchantId)))
      .get();
    if (!t) return { ok: false, error: "That transaction does not exist.", code: "not_found" };
    let out;
    if (input.kind === "refund" || input.kind === "preauth_complete" || input.kind === "preauth_increment") {
      const amount = parseAmount(input.amount ?? "", t.currency);
      if (!amount.ok) return { ok: false, error: "Some fields need attention.", fieldErrors: { amount: [amount.error] }, code: "invalid" };
      out = await runOperation(ctx, deps, user, { kind: input.kind, requestKey: input.requestKey, transactionRef: input.transactionId, amount: amount.minor });
    } else {
      out = await runOperation(ctx, deps, user, { kind: input.kind, requestKey: input.requestKey, transactionRef: input.transactionId });
    }
    if (!out.ok) {
      // A try that reached the provider left a record (and perhaps a "credentials refused" mark): the page shows it.
      if (out.operationId !== undefined) revalidatePath("/", "layout");
      return { ok: false, error: out.error, code: out.code, ...(out.retryable ? { retryKey: randomUUID() } : {}) };
    }
    revalidatePath("/", "layout");
    return { ok: true, data: { transactionId: out.transactionRef }, message: out.message };
  },
);

export const refreshConfigurationAction = validatedAction(
  "refreshConfiguration",
  "pairing:create",
  z.object({ terminalId: id }),
  async ({ terminalId }, user): Promise<ActionResult> => {
    const out = await refreshConfiguration(actionContext(user), deps, terminalId, user);
    // Either way the terminal changed (its configuration, or the error and perhaps a "credentials refused" mark).
    revalidatePath("/", "layout");
    if (!out.ok) return { ok: false, error: out.error, code: "provider" };
    return { ok: true, data: undefined, message: out.message };
  },
);
