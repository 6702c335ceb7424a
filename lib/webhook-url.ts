import "server-only";
import { randomBytes } from "node:crypto";
import { getEnv } from "./env";

/** A fresh path token for a new pairing's webhook URL. */
export function newWebhookToken(): string {
  return randomBytes(18).toString("base64url");
}

/** The URL Pay-Connect posts this pairing's webhooks to, built from PUBLIC_URL. */
export function webhookUrlFor(token: string): string {
  return `${getEnv().publicUrl}/api/webhooks/pay-connect/${token}`;
}

/**
 * A submitted webhook URL under this app's webhook endpoint gets a fresh path token for this
 * attempt, minted here and never taken from the browser (a token must never be reused across
 * attempts or pairings). Any other URL is the user's choice and kept as given.
 */
export function webhookForAttempt(submitted: string | null): { webhookUrl: string | null; webhookToken: string | null } {
  if (submitted === null || !submitted.startsWith(webhookUrlFor(""))) return { webhookUrl: submitted, webhookToken: null };
  const token = newWebhookToken();
  return { webhookUrl: webhookUrlFor(token), webhookToken: token };
}
