/**
 * Pay-Connect's webhooks: how a delivery is verified and read (the WebhookFormat of
 * lib/providers/types.ts). Documented: a hex HMAC-SHA256 of the body keyed with the pairing's
 * webhook_secret_key, in the `Signature` header. The docs' sample signs "a JSON string with
 * sorted keys" (assumption 18): Pairdesk accepts a signature over the raw body, or over the
 * sorted-keys serialisation of the parsed body (compact, as JavaScript writes it, or with
 * Python's default separators and ASCII escapes, as json.dumps(sort_keys=True) writes it).
 * Comparisons are timing-safe. The payload shape is assumed (assumption 17).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { WebhookFormat, WebhookParse, WebhookVerification } from "../providers/types";
import { toProviderTransaction } from "./transaction-map";
import { SIGNATURE_HEADER, transactionObjectSchema, webhookArraySchema } from "./wire";

/** Deliveries over 1 MiB are refused (413) without being read. */
const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export function hmacHex(secret: string, body: Buffer | string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** The sorted-keys serialisation, compact (JSON.stringify of the sorted value). */
export function sortedCompact(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** The sorted-keys serialisation as Python's json.dumps(value, sort_keys=True) writes it. */
export function sortedPython(value: unknown): string {
  const write = (v: unknown): string => {
    if (v === null) return "null";
    if (Array.isArray(v)) return `[${v.map(write).join(", ")}]`;
    if (typeof v === "object") {
      const entries = Object.keys(v as object)
        .sort()
        .map((k) => `${asciiString(k)}: ${write((v as Record<string, unknown>)[k])}`);
      return `{${entries.join(", ")}}`;
    }
    if (typeof v === "string") return asciiString(v);
    return JSON.stringify(v);
  };
  return write(value);
}

/** A JSON string literal with every non-ASCII character escaped, as Python's ensure_ascii does. */
function asciiString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function sameHex(expectedHex: string, givenHex: string): boolean {
  const a = Buffer.from(expectedHex, "hex");
  const b = Buffer.from(givenHex.toLowerCase(), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

export function verifyWebhookSignature(headers: Headers, rawBody: Buffer, secret: string | null): WebhookVerification {
  if (!secret) return { ok: false, reason: "no_secret" };
  const given = headers.get(SIGNATURE_HEADER)?.trim();
  if (!given) return { ok: false, reason: "missing" };
  // Some senders prefix the algorithm ("sha256=<hex>"): accepted, the hex must still match.
  const hex = given.replace(/^sha256=/i, "");
  if (!HEX_SHA256.test(hex)) return { ok: false, reason: "malformed" };
  if (sameHex(hmacHex(secret, rawBody), hex)) return { ok: true, form: "raw" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return { ok: false, reason: "mismatch" };
  }
  // Both forms are always computed, so that the time taken does not tell which one was close.
  const compact = sameHex(hmacHex(secret, sortedCompact(parsed)), hex);
  const python = sameHex(hmacHex(secret, sortedPython(parsed)), hex);
  return compact || python ? { ok: true, form: "sorted" } : { ok: false, reason: "mismatch" };
}

export function parseWebhookBody(rawBody: Buffer): WebhookParse {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(rawBody);
  } catch {
    return { ok: false, reason: "The body is not UTF-8 text." };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: "The body is not JSON." };
  }
  // The array or the object schema, by the body's own shape, so that the fields at fault are named.
  const parsed = Array.isArray(json) ? webhookArraySchema.safeParse(json) : transactionObjectSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.map(String).join(".") || "body"))].slice(0, 6);
    return {
      ok: false,
      reason: `The body is not a transaction (or a list of transactions) as expected: check ${fields.join(", ")}.`,
    };
  }
  const items = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  return { ok: true, transactions: items.map(toProviderTransaction) };
}

export const payConnectWebhooks: WebhookFormat = {
  provider: "pay-connect",
  maxBodyBytes: WEBHOOK_MAX_BODY_BYTES,
  verify: verifyWebhookSignature,
  parse: parseWebhookBody,
};
