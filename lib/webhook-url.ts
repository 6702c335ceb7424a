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
