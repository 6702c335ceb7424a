"use server";

/**
 * The transaction operations' server actions: each goes through validatedAction (session,
 * permission, zod) and lib/transactions/operations.ts, which checks the role, the scope and the
 * state again. Amounts arrive as typed ("12,50") and are read in the currency's minor units.
 */
import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { queryAmountCurrency } from "./queries";
import { parseAmount } from "./money";
import { refreshConfiguration } from "./configuration";
import { providerDeps as deps } from "./deps";
import { runOperation } from "./operations";
import { refused, validatedAction, type ActionResult } from "../auth/safe-action";
import { invalid, notFound } from "../errors";

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
  async (input, { user, ctx }): Promise<ActionResult<{ transactionId: number | null }>> => {
    const terminal = await queryAmountCurrency(ctx, { terminalRef: input.terminalId });
    if (!terminal) throw notFound("That terminal does not exist.");
    const amount = parseAmount(input.amount, terminal.currency);
    if (!amount.ok) throw invalid("amount", amount.error);
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
      return { ...refused(out), ...(out.retryable ? { retryKey: randomUUID() } : {}) };
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
  async (input, { user, ctx }): Promise<ActionResult<{ transactionId: number | null }>> => {
    const t = await queryAmountCurrency(ctx, { transactionRef: input.transactionId });
    if (!t) throw notFound("That transaction does not exist.");
    let out;
    if (input.kind === "refund" || input.kind === "preauth_complete" || input.kind === "preauth_increment") {
      const amount = parseAmount(input.amount ?? "", t.currency);
      if (!amount.ok) throw invalid("amount", amount.error);
      out = await runOperation(ctx, deps, user, { kind: input.kind, requestKey: input.requestKey, transactionRef: input.transactionId, amount: amount.minor });
    } else {
      out = await runOperation(ctx, deps, user, { kind: input.kind, requestKey: input.requestKey, transactionRef: input.transactionId });
    }
    if (!out.ok) {
      // A try that reached the provider left a record (and perhaps a "credentials refused" mark): the page shows it.
      if (out.operationId !== undefined) revalidatePath("/", "layout");
      return { ...refused(out), ...(out.retryable ? { retryKey: randomUUID() } : {}) };
    }
    revalidatePath("/", "layout");
    return { ok: true, data: { transactionId: out.transactionRef }, message: out.message };
  },
);

export const refreshConfigurationAction = validatedAction(
  "refreshConfiguration",
  "pairing:create",
  z.object({ terminalId: id }),
  async ({ terminalId }, { user, ctx }): Promise<ActionResult> => {
    const out = await refreshConfiguration(ctx, deps, terminalId, user);
    // Either way the terminal changed (its configuration, or the error and perhaps a "credentials refused" mark).
    revalidatePath("/", "layout");
    if (!out.ok) return refused(out);
    return { ok: true, data: undefined, message: out.message };
  },
);
