"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { writeAudit } from "../audit";
import { confirmPassword } from "../auth";
import { getDb } from "../db/client";
import { log } from "../log";
import { completeRecovery, RecoveryError } from "../pairing/complete-recovery";
import { pairingForCall, readCredentials, type PairingCredentials } from "../pairing/credentials";
import { pairTerminal } from "../pairing/pair-terminal";
import { pairFormSchema } from "../pairing/schemas";
import { unpairPairing } from "../pairing/unpair";
import { payConnectClient } from "../pay-connect";
import { webhookForAttempt } from "../webhook-url";
import { ActionError, validatedAction, type ActionResult } from "./safe-action";

export const pairTerminalAction = validatedAction(
  "pairTerminal",
  "pairing:create",
  pairFormSchema,
  async (input, user): Promise<ActionResult> => {
    const { webhookUrl, webhookToken } = webhookForAttempt(input.webhookUrl);
    const outcome = await pairTerminal(
      getDb(),
      payConnectClient(input.environment),
      {
        requestKey: input.requestKey,
        environment: input.environment,
        name: input.name,
        otp: input.otp,
        webhookUrl,
        webhookToken,
      },
      { id: user.id, email: user.email },
    );
    revalidatePath("/", "layout");
    if (outcome.kind === "paired") {
      redirect(`/terminals/${outcome.terminalRef}?paired=${outcome.pairingId}`);
    }
    if (outcome.kind === "in_progress") {
      return { ok: false, error: outcome.message, code: "in_progress" };
    }
    return {
      ok: false,
      error: outcome.message,
      code: outcome.kind === "failed" ? outcome.code : outcome.kind,
      fieldErrors: outcome.code === "otp_rejected" ? { otp: ["Generate a new OTP on the terminal."] } : undefined,
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
  async ({ pairingId, password }, user): Promise<ActionResult<PairingCredentials>> => {
    const db = getDb();
    const pairing = pairingForCall(db, pairingId);
    if (!pairing) throw new ActionError("That pairing does not exist.");
    if (pairing.status !== "active") {
      throw new ActionError(`This pairing is ${pairing.status}: its credentials were destroyed when it ended.`);
    }
    const denied = await confirmPassword(db, user, password);
    if (denied) {
      writeAudit(db, { actor: user, action: "pairing.reveal_denied", targetType: "pairing", targetId: pairingId });
      throw new ActionError(denied, { password: [denied] });
    }
    let creds: PairingCredentials;
    try {
      creds = readCredentials(db, pairing);
    } catch (err) {
      log.error({ event: "reveal_failed", pairingId, failure: (err as Error)?.message }, "vault read failed");
      throw new ActionError("The credentials could not be read from the vault (wrong VAULT_KEY or a damaged entry). Nothing was shown.");
    }
    writeAudit(db, {
      actor: user,
      action: "pairing.reveal",
      targetType: "pairing",
      targetId: pairingId,
      details: { environment: pairing.environment, terminalId: pairing.terminalId, name: pairing.name },
    });
    return { ok: true, data: creds };
  },
);

export const unpairAction = validatedAction(
  "unpair",
  "pairing:unpair",
  z.object({ pairingId: pairingIdSchema }),
  async ({ pairingId }, user): Promise<ActionResult> => {
    const outcome = await unpairPairing(getDb(), payConnectClient, pairingId, user);
    if (!outcome.ok) throw new ActionError(outcome.message, undefined, outcome.code);
    revalidatePath("/", "layout");
    return { ok: true, data: undefined, message: outcome.message };
  },
);

export const completeRecoveryAction = validatedAction(
  "completeRecovery",
  "pairing:recover",
  z.object({ attemptId: z.coerce.number().int().positive() }),
  async ({ attemptId }, user): Promise<ActionResult<{ terminalRef: number }>> => {
    try {
      const saved = completeRecovery(getDb(), attemptId, user);
      revalidatePath("/", "layout");
      return { ok: true, data: { terminalRef: saved.terminalRef }, message: "The pairing was recovered and its credentials are stored in the vault." };
    } catch (err) {
      if (err instanceof RecoveryError) return { ok: false, error: err.message, code: "recovery_failed" };
      throw err;
    }
  },
);
