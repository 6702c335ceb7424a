/**
 * POST /api/webhooks/pay-connect/<token>: one delivery from the provider.
 * - over the size limit → 413, the rest of the body never read;
 * - no pairing has this token → 404; its pairing is replaced or unpaired → 410;
 * - the pairing has no webhook secret (nothing can be verified) → 403 (its status comes from polling);
 * - a missing or wrong `Signature` → 403;
 * - verified but not JSON, or not a transaction → 400 (kept, to be reprocessed once the shape is known);
 * - otherwise 200, once the delivery is durably stored (and applied, see ./inbox.ts).
 * Every delivery is stored with its verdict before it is answered. The answer never says more
 * than its status and a short reason; no secret, token or body reaches a log line.
 */
import { isDatabaseUnavailable } from "../db/errors";
import "server-only";
import { firstRow } from "../db/query";
import { eq, sql } from "drizzle-orm";
import { prepared } from "../db/prepared";
import { getDb, type DB } from "../db/client";
import { webhookFormat } from "../providers";
import { pairings, terminals } from "../db/schema";
import type { DeliveryVerdict } from "../domain";
import { log } from "../log";
import { readCredentials } from "../pairing/credentials";
import type { WebhookFormat } from "../providers/types";
import { readLimitedBody } from "./body";
import { storeDelivery, type IncomingDelivery } from "./inbox";

const webhookLog = log.child({ module: "webhooks" });

/** Opened webhook secrets, per pairing, for a short while (never logged, never sent anywhere). */
const SECRET_TTL_MS = 60_000;
const globalForSecrets = globalThis as unknown as { __pairdeskWebhookSecrets?: Map<number, { secret: string | null; until: number }> };
const secrets = (globalForSecrets.__pairdeskWebhookSecrets ??= new Map());

async function secretOf(db: DB, pairing: { id: number; clientId: string }): Promise<string | null> {
  const hit = secrets.get(pairing.id);
  const now = Date.now();
  if (hit && hit.until > now) return hit.secret;
  const secret = (await readCredentials(db, pairing)).webhookSecretKey;
  secrets.set(pairing.id, { secret, until: now + SECRET_TTL_MS });
  return secret;
}

/** Forget the opened secrets (a pairing replaced or unpaired, tests). */
export function forgetWebhookSecrets(): void {
  secrets.clear();
}

const REASONS: Record<Exclude<DeliveryVerdict, "accepted" | "unparsed">, string> = {
  bad_signature: "The signature is missing or does not match this pairing's webhook secret.",
  no_secret: "This pairing has no webhook secret, so its deliveries cannot be verified: its status comes from polling.",
  gone: "This pairing has ended (replaced or unpaired): its webhooks are no longer accepted.",
  unknown_pairing: "No pairing has this webhook URL.",
  too_large: "The body is over the size limit; it was not read.",
};

const answer = (status: number, message: string) =>
  Response.json({ detail: message }, { status, headers: { "Cache-Control": "no-store" } });

export async function receiveWebhook(db: DB, format: WebhookFormat, request: Request, token: string): Promise<Response> {
  try {
    return await receive(db, format, request, token);
  } catch (err) {
    // The pairing could not even be looked up: nothing was stored, Pay-Connect sends it again.
    if (isDatabaseUnavailable(err)) return unavailable();
    throw err;
  }
}

async function receive(db: DB, format: WebhookFormat, request: Request, token: string): Promise<Response> {
  const started = Date.now();
  const pairing = /^[A-Za-z0-9_-]{8,100}$/.test(token)
    ? await firstRow(prepared(db, "webhooks.pairing", (d) =>
        d
          .select({
            id: pairings.id,
            merchantId: pairings.merchantId,
            terminalRef: pairings.terminalRef,
            status: pairings.status,
            hasWebhookSecret: pairings.hasWebhookSecret,
            clientId: pairings.clientId,
            environment: terminals.environment,
          })
          .from(pairings)
          .innerJoin(terminals, eq(terminals.id, pairings.terminalRef))
          .where(eq(pairings.webhookToken, sql.placeholder("token")))
          .prepare(),
      ).execute({ token }))
    : undefined;

  const read = await readLimitedBody(request, format.maxBodyBytes).catch(() => null);
  const base = { pairingId: pairing?.id ?? null, merchantId: pairing?.merchantId ?? null };
  let item: IncomingDelivery;
  if (read === null) {
    return answer(400, "The body could not be read.");
  } else if (!read.ok) {
    item = { ...base, verdict: "too_large", httpStatus: 413, sizeBytes: read.declared, body: null, reason: REASONS.too_large };
  } else if (!pairing) {
    item = { ...base, verdict: "unknown_pairing", httpStatus: 404, sizeBytes: read.body.length, body: read.body, reason: REASONS.unknown_pairing };
  } else if (pairing.status !== "active") {
    item = { ...base, verdict: "gone", httpStatus: 410, sizeBytes: read.body.length, body: read.body, reason: REASONS.gone };
  } else {
    const secret = pairing.hasWebhookSecret ? await secretOf(db, pairing) : null;
    const verified = format.verify(request.headers, read.body, secret);
    if (!verified.ok) {
      const verdict = verified.reason === "no_secret" ? "no_secret" : "bad_signature";
      item = { ...base, verdict, httpStatus: 403, sizeBytes: read.body.length, body: read.body, reason: REASONS[verdict] };
    } else {
      const parsed = format.parse(read.body);
      item = parsed.ok
        ? {
            ...base,
            verdict: "accepted",
            httpStatus: 200,
            sizeBytes: read.body.length,
            body: read.body,
            signatureForm: verified.form,
            apply: {
              transactions: parsed.transactions,
              via: { pairingId: pairing.id, merchantId: pairing.merchantId, terminalRef: pairing.terminalRef, environment: pairing.environment },
            },
          }
        : { ...base, verdict: "unparsed", httpStatus: 400, sizeBytes: read.body.length, body: read.body, signatureForm: verified.form, reason: parsed.reason };
    }
  }

  let stored;
  try {
    stored = await storeDelivery(db, item);
  } catch (err) {
    // Not stored: the provider must try again.
    if (isDatabaseUnavailable(err)) return unavailable();
    return answer(500, "The delivery could not be stored; send it again.");
  }
  // An accepted delivery is one line of the inbox's batch (./inbox.ts logs each batch at info);
  // a refused one is worth its own line.
  const line = { delivery: stored.id, pairing: item.pairingId, verdict: item.verdict, status: item.httpStatus, bytes: item.sizeBytes, events: stored.events, ms: Date.now() - started };
  if (item.verdict === "accepted") webhookLog.debug(line, "webhook delivery");
  else webhookLog.info(line, "webhook delivery refused");
  if (item.verdict === "accepted") return answer(200, stored.processError ? "Stored; it will be reprocessed." : "Accepted.");
  return answer(item.httpStatus, item.reason ?? "Refused.");
}

/** The route handler's entry: the app's database and the provider's webhook format. */
export function handleWebhookRequest(request: Request, token: string): Promise<Response> {
  return receiveWebhook(getDb(), webhookFormat(), request, token);
}

/** 503 with a hint when to come back: the database does not answer, nothing was stored. */
function unavailable(): Response {
  webhookLog.warn({ status: 503 }, "webhook delivery refused: the database is unavailable");
  return Response.json(
    { detail: "The database is unavailable; the delivery was not stored. Send it again." },
    { status: 503, headers: { "Cache-Control": "no-store", "Retry-After": "5" } },
  );
}
