/**
 * An admin's audited reveal of a pairing's credentials, after re-entering their password. Every
 * refusal is returned (never thrown) with a message for the person at the screen; a wrong
 * password is audited as denied, a reveal as done. The credentials leave only in the result.
 */
import "server-only";
import { writeAudit } from "../audit/audit";
import { confirmPassword, type SessionUser } from "../auth/auth";
import { scopedCommands, type QueryContext } from "../auth/scope";
import { log } from "../log";
import { can, refusal } from "../auth/permissions";
import { pairingForCall, readCredentials, type PairingCredentials } from "./credentials";

export type RevealOutcome =
  | { ok: true; credentials: PairingCredentials }
  | {
      ok: false;
      code: "forbidden" | "not_found" | "not_active" | "wrong_password" | "vault";
      message: string;
      /** The form field the message belongs to. */
      field?: "password";
    };

export const VAULT_READ_FAILED =
  "The credentials could not be read from the vault (wrong VAULT_KEY or a damaged entry). Nothing was shown.";

export async function revealCredentials(
  { db, scope }: QueryContext,
  pairingId: number,
  user: SessionUser,
  password: string,
): Promise<RevealOutcome> {
  if (!can(user.role, "pairing:reveal")) return { ok: false, code: "forbidden", message: refusal(user.role, "pairing:reveal") };
  const pairing = await pairingForCall(db, scope, pairingId);
  if (!pairing) return { ok: false, code: "not_found", message: "That pairing does not exist." };
  if (pairing.status !== "active") {
    return {
      ok: false,
      code: "not_active",
      message: `This pairing is ${pairing.status}: its credentials were destroyed when it ended.`,
    };
  }
  const denied = await confirmPassword(db, user, password);
  if (denied) {
    await writeAudit(db, {
      actor: user,
      merchantId: pairing.merchantId,
      action: "pairing.reveal_denied",
      targetType: "pairing",
      targetId: pairingId,
    });
    return { ok: false, code: "wrong_password", message: denied, field: "password" };
  }
  let credentials: PairingCredentials;
  try {
    credentials = await readCredentials(db, pairing);
  } catch (err) {
    log.error({ event: "reveal_failed", pairingId, failure: (err as Error)?.message }, "vault read failed");
    return { ok: false, code: "vault", message: VAULT_READ_FAILED };
  }
  await writeAudit(db, {
    actor: user,
    merchantId: pairing.merchantId,
    action: "pairing.reveal",
    targetType: "pairing",
    targetId: pairingId,
    details: { environment: pairing.environment, terminalId: pairing.terminalId, name: pairing.name },
  });
  return { ok: true, credentials };
}

scopedCommands(revealCredentials);
