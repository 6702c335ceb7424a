"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "../db/client";
import { completeRecovery } from "./complete-recovery";
import type { PairingCredentials } from "./credentials";
import { pairTerminal } from "./pair-terminal";
import { pairingTarget } from "./target";
import { renamePairing } from "./rename";
import { revealCredentials } from "./reveal";
import { OTP_FIELD_HINT_AFTER_REJECTION, pairFormSchema, pairingNameSchema } from "./schemas";
import { unpairPairing } from "./unpair";
import { webhookForAttempt } from "./webhook-url";
import { pairingProvider } from "../providers/index";
import { refreshConfiguration } from "../transactions/configuration";
import { providerDeps } from "../transactions/deps";
import { refused, validatedAction, type ActionResult } from "../auth/safe-action";

/** How long a new pairing waits for its terminal's configuration before showing the terminal. */
const CONFIGURATION_WAIT_MS = 5_000;

export const pairTerminalAction = validatedAction(
  "pairTerminal",
  "pairing:create",
  pairFormSchema,
  async (input, { user, ctx, actor }): Promise<ActionResult> => {
    const target = await pairingTarget(getDb(), user, input);
    if (!target.ok) {
      return {
        ok: false,
        error: target.message,
        code: target.field === "merchantId" ? "merchant" : "not_found",
        fieldErrors: { [target.field]: [target.message] },
      };
    }
    const provider = pairingProvider(target.environment);
    if (provider.unavailableReason) {
      // Refused before anything is recorded or sent: the same reason the form shows beside the
      // disabled choice.
      return {
        ok: false,
        error: provider.unavailableReason,
        code: "not_configured",
        fieldErrors: { environment: [provider.unavailableReason] },
      };
    }
    const { webhookUrl, webhookToken } = webhookForAttempt(input.webhookUrl);
    const outcome = await pairTerminal(
      getDb(),
      provider,
      {
        requestKey: input.requestKey,
        merchantId: target.merchantId,
        environment: target.environment,
        registerRef: target.registerRef,
        intendedTerminalRef: target.intendedTerminalRef,
        name: input.name,
        otp: input.otp,
        webhookUrl,
        webhookToken,
      },
      actor,
    );
    revalidatePath("/", "layout");
    if (outcome.kind === "paired") {
      // The terminal's configuration (its currency for amounts), best effort: a failure or a
      // slow answer never holds up the pairing; the terminal page offers Refresh.
      await Promise.race([
        refreshConfiguration(ctx, providerDeps, outcome.terminalRef, null).catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, CONFIGURATION_WAIT_MS)),
      ]);
      // From a register's page, back to it (the route is shown there); otherwise the terminal's.
      redirect(
        target.registerRef !== null && outcome.routed
          ? `/registers/${target.registerRef}?paired=${outcome.pairingId}`
          : `/terminals/${outcome.terminalRef}?paired=${outcome.pairingId}`,
      );
    }
    if (outcome.kind === "in_progress") {
      return { ok: false, error: outcome.message, code: "in_progress" };
    }
    return {
      ok: false,
      error: outcome.message,
      code: outcome.kind === "failed" ? outcome.code : outcome.kind,
      fieldErrors: outcome.code === "otp_rejected" ? { otp: [OTP_FIELD_HINT_AFTER_REJECTION] } : undefined,
      // The next submit is a new attempt; this one stays on record.
      retryKey: randomUUID(),
    };
  },
);

const pairingIdSchema = z.coerce.number({ error: "Unknown pairing." }).int().positive("Unknown pairing.");

export const revealCredentialsAction = validatedAction(
  "revealCredentials",
  "pairing:reveal",
  z.object({ pairingId: pairingIdSchema, password: z.string().min(1, "Enter your password.") }),
  async ({ pairingId, password }, { user, ctx }): Promise<ActionResult<PairingCredentials>> => {
    const outcome = await revealCredentials(ctx, pairingId, user, password);
    if (outcome.ok) return { ok: true, data: outcome.credentials };
    return refused(outcome);
  },
);

export const renamePairingAction = validatedAction(
  "renamePairing",
  "pairing:rename",
  z.object({ pairingId: pairingIdSchema, name: pairingNameSchema, expectedName: z.string().max(10_000).optional() }),
  async ({ pairingId, name, expectedName }, { user, ctx }): Promise<ActionResult<{ name: string }>> => {
    const outcome = await renamePairing(ctx, pairingId, { name, expectedName }, user);
    revalidatePath("/", "layout");
    return { ok: true, data: { name: outcome.name }, message: outcome.message };
  },
);

export const unpairAction = validatedAction(
  "unpair",
  "pairing:unpair",
  z.object({ pairingId: pairingIdSchema }),
  async ({ pairingId }, { user, ctx }): Promise<ActionResult> => {
    const outcome = await unpairPairing(ctx, pairingProvider, pairingId, user);
    if (!outcome.ok) return refused(outcome);
    revalidatePath("/", "layout");
    return { ok: true, data: undefined, message: outcome.message };
  },
);

export const completeRecoveryAction = validatedAction(
  "completeRecovery",
  "pairing:recover",
  z.object({ attemptId: z.coerce.number().int().positive() }),
  async ({ attemptId }, { user, ctx }): Promise<ActionResult<{ terminalRef: number }>> => {
    const saved = await completeRecovery(ctx, attemptId, user);
    revalidatePath("/", "layout");
    return {
      ok: true,
      data: { terminalRef: saved.terminalRef },
      message: saved.warning ?? "The pairing was recovered and its credentials are stored in the vault.",
    };
  },
);
