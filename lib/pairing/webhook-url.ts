/**
 * The webhook URL given to the provider at pairing. By default it is Pairdesk's own endpoint with
 * a path token minted by the server for that one attempt (never taken from the browser, never
 * reused); someone who knows better can give another URL under "Advanced" on the form.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { getEnv } from "../env";

/** Where this app receives webhooks: PUBLIC_URL's endpoint, before the per-pairing token. */
export function webhookEndpoint(): string {
  return `${getEnv().publicUrl}/api/webhooks/pay-connect/`;
}

/** A fresh path token for a new pairing's webhook URL. */
function newWebhookToken(): string {
  return randomBytes(18).toString("base64url");
}

/** The URL the provider posts this pairing's webhooks to, built from PUBLIC_URL. */
function webhookUrlFor(token: string): string {
  return `${webhookEndpoint()}${token}`;
}

/**
 * The webhook URL this attempt really uses. No URL given, or one under this app's webhook
 * endpoint: this app's endpoint with a fresh token minted here. Any other URL is the user's
 * choice and kept as given, with no token.
 */
export function webhookForAttempt(submitted: string | null): { webhookUrl: string; webhookToken: string | null } {
  if (submitted !== null && !submitted.startsWith(webhookEndpoint())) return { webhookUrl: submitted, webhookToken: null };
  const token = newWebhookToken();
  return { webhookUrl: webhookUrlFor(token), webhookToken: token };
}
