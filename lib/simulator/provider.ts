/**
 * The provider side of the Pay-Connect calls the simulator answers: pair, token, unpair. Each
 * takes the request's headers and raw body and returns the status and JSON body Pay-Connect
 * would send. The wire format (paths, field names, schemas) comes from lib/pay-connect/wire.ts,
 * the single description of the contract. Faults are applied by ./http.ts, not here.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import {
  INTEGRATOR_ID_HEADER,
  pairRequestSchema,
  tokenRequestSchema,
  type PairResponseBody,
  type TokenResponseBody,
} from "../pay-connect/wire";
import { randomToken, sha256Hex, type SimulatorContext } from "./context";
import type { ProviderCall } from "./faults";
import { consumeOtp, otpRefusal, terminalOfOtp } from "./terminals";

export type ProviderRequest = { headers: Headers; body: string };
export type ProviderResponse = { status: number; body: Record<string, unknown> };

/** Lifetime of a simulated access token; answered as a string, like the docs' example. */
const TOKEN_LIFETIME_SECONDS = 3600;

const detail = (status: number, text: string): ProviderResponse => ({ status, body: { detail: text } });

const MISSING_INTEGRATOR = detail(400, `Missing ${INTEGRATOR_ID_HEADER} header`);
const UNKNOWN_INTEGRATOR = detail(400, `Unknown ${INTEGRATOR_ID_HEADER}`);
const INVALID_JSON = detail(400, "Invalid JSON body");
/** The pair refusals for an OTP, one for each reason the terminal knows (the adapter tells them apart). */
const OTP_REFUSALS = {
  unknown: detail(400, "Invalid OTP"),
  used: detail(400, "OTP already used"),
  expired: detail(400, "OTP expired"),
} as const;
const INVALID_CLIENT = detail(401, "Invalid client credentials");
const NO_BEARER = detail(401, "Authentication credentials were not provided.");
const INVALID_TOKEN = detail(401, "Invalid or expired token");

function integratorOf(ctx: SimulatorContext, headers: Headers, required: boolean): ProviderResponse | string | null {
  const value = headers.get(INTEGRATOR_ID_HEADER)?.trim();
  if (!value) return required ? MISSING_INTEGRATOR : null;
  return ctx.integratorIds.has(value) ? value : UNKNOWN_INTEGRATOR;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A DRF-like 400 naming the fields at fault (never their values). */
function invalidFields(issues: { path: PropertyKey[] }[]): ProviderResponse {
  const fields = [...new Set(issues.map((i) => i.path.map(String).join(".") || "body"))];
  return detail(400, `Invalid request: ${fields.join(", ")}`);
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The simulated terminal a provider call is about, so that a fault scoped to it applies: for
 * pair, the terminal that issued the OTP presented; for token, the terminal of the pairing
 * whose client_id is presented; for unpair, the terminal of the bearer token's pairing. Null
 * when the request names none the simulator knows (the call then fails on its own merits).
 */
export function terminalOfCall(ctx: SimulatorContext, call: ProviderCall, req: ProviderRequest): string | null {
  const { db } = ctx;
  if (call === "unpair") {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
    if (!match) return null;
    const row = db
      .prepare(
        `SELECT p.terminal_id FROM tokens t JOIN pairings p ON p.pay_connect_id = t.pay_connect_id
         WHERE t.token_sha256 = ?`,
      )
      .get(sha256Hex(match[1]!)) as { terminal_id: string } | undefined;
    return row?.terminal_id ?? null;
  }
  const json = parseJson(req.body);
  if (!json.ok || !json.value || typeof json.value !== "object") return null;
  const body = json.value as Record<string, unknown>;
  if (call === "pair") return typeof body.otp === "string" ? terminalOfOtp(ctx, body.otp) : null;
  if (typeof body.client_id !== "string") return null;
  const row = db.prepare("SELECT terminal_id FROM pairings WHERE client_id = ?").get(body.client_id) as
    | { terminal_id: string }
    | undefined;
  return row?.terminal_id ?? null;
}

/**
 * Ends the terminal's active pairings of `integratorId` as `replaced`. Their client credentials
 * then get the same 401 as unknown ones (issueToken wants an active pairing), and so do their
 * bearer tokens on unpair. The tokens' hashes are kept until they expire, only so that a call
 * presenting one is still logged against its terminal (an unpair of a replaced pairing must show
 * in the call log). Call it inside the pair call's transaction. Returns the pay_connect_ids.
 */
function replaceActivePairings(ctx: SimulatorContext, terminalId: string, integratorId: string): string[] {
  const replaced = ctx.db
    .prepare(
      `UPDATE pairings SET status = 'replaced', replaced_at = ?
       WHERE terminal_id = ? AND integrator_id = ? AND status = 'active' RETURNING pay_connect_id`,
    )
    .all(ctx.now(), terminalId, integratorId) as { pay_connect_id: string }[];
  return replaced.map((r) => r.pay_connect_id);
}

/**
 * `POST /v1/pay-connect/pair/`: a new pairing of the OTP's terminal, replacing the terminal's
 * active pairing of the same integrator. With `omitClientSecret` (the pair_malformed fault) the pairing
 * is made but the answer lacks client_secret.
 */
export function pair(
  ctx: SimulatorContext,
  req: ProviderRequest,
  options: { omitClientSecret?: boolean } = {},
): ProviderResponse {
  const integratorId = integratorOf(ctx, req.headers, true);
  if (typeof integratorId !== "string") return integratorId ?? MISSING_INTEGRATOR;
  const json = parseJson(req.body);
  if (!json.ok) return INVALID_JSON;
  const parsed = pairRequestSchema.safeParse(json.value);
  if (!parsed.success) return invalidFields(parsed.error.issues);
  const { name, otp, webhook_url } = parsed.data;

  const { db } = ctx;
  const result = db.transaction((): PairResponseBody | null => {
    const terminalId = consumeOtp(ctx, otp);
    if (!terminalId) return null;
    // Pay-Connect pairs a terminal once per integration (and environment: the simulator is the
    // sandbox only): this integrator's active pairing of the terminal ends as replaced, and its
    // tokens stop working. Another integrator's pairing of the terminal is untouched.
    replaceActivePairings(ctx, terminalId, integratorId);
    const payConnectId = randomUUID();
    const clientId = `sim_${randomToken(12)}`;
    const clientSecret = randomToken(32);
    // Assumption: without a webhook URL there is nothing to sign, so no key (documented: string or null).
    const webhookSecretKey = webhook_url ? randomToken(32) : null;
    db.prepare(
      `INSERT INTO pairings (pay_connect_id, terminal_id, name, webhook_url, integrator_id, client_id,
         client_secret_sha256, webhook_secret_key, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)`,
    ).run(
      payConnectId,
      terminalId,
      name,
      webhook_url ?? null,
      integratorId,
      clientId,
      sha256Hex(clientSecret),
      webhookSecretKey,
      ctx.now(),
    );
    return {
      pay_connect_id: payConnectId,
      pay_connect_name: name,
      terminal_id: terminalId,
      client_id: clientId,
      client_secret: clientSecret,
      webhook_secret_key: webhookSecretKey,
    };
  }).immediate();

  if (!result) return OTP_REFUSALS[otpRefusal(ctx, otp)];
  if (options.omitClientSecret) {
    const partial: Partial<PairResponseBody> = { ...result };
    delete partial.client_secret;
    return { status: 200, body: partial };
  }
  return { status: 200, body: result };
}

/** `POST /v1/auth/token/`: client credentials of an active pairing → a bearer token. */
export function issueToken(ctx: SimulatorContext, req: ProviderRequest): ProviderResponse {
  // The reference does not require the integrator header on this call; a wrong one is refused.
  const integratorId = integratorOf(ctx, req.headers, false);
  if (integratorId !== null && typeof integratorId !== "string") return integratorId;
  const json = parseJson(req.body);
  if (!json.ok) return INVALID_JSON;
  if (
    json.value &&
    typeof json.value === "object" &&
    "grant_type" in json.value &&
    json.value.grant_type !== "client_credentials"
  ) {
    return detail(400, "Unsupported grant_type");
  }
  const parsed = tokenRequestSchema.safeParse(json.value);
  if (!parsed.success) return invalidFields(parsed.error.issues);

  const { db } = ctx;
  const now = ctx.now();
  const pairing = db
    .prepare(
      "SELECT pay_connect_id, integrator_id, client_secret_sha256 FROM pairings WHERE client_id = ? AND status = 'active'",
    )
    .get(parsed.data.client_id) as
    | { pay_connect_id: string; integrator_id: string; client_secret_sha256: string }
    | undefined;
  const secretHash = sha256Hex(parsed.data.client_secret);
  if (!pairing || !sameHash(secretHash, pairing.client_secret_sha256)) return INVALID_CLIENT;
  if (integratorId !== null && integratorId !== pairing.integrator_id) return INVALID_CLIENT;

  const accessToken = randomToken(32);
  db.transaction(() => {
    db.prepare("DELETE FROM tokens WHERE expires_at <= ?").run(now);
    db.prepare("INSERT INTO tokens (token_sha256, pay_connect_id, expires_at) VALUES (?, ?, ?)").run(
      sha256Hex(accessToken),
      pairing.pay_connect_id,
      now + TOKEN_LIFETIME_SECONDS * 1000,
    );
  })();
  const body: TokenResponseBody = {
    access_token: accessToken,
    expires_in: String(TOKEN_LIFETIME_SECONDS),
    token_type: "Bearer",
    scope: "pay-connect",
  };
  return { status: 200, body };
}

/** `POST /v1/pay-connect/unpair/`: the bearer's pairing becomes unpaired, its tokens invalid. */
export function unpair(ctx: SimulatorContext, req: ProviderRequest): ProviderResponse {
  const integratorId = integratorOf(ctx, req.headers, true);
  if (typeof integratorId !== "string") return integratorId ?? MISSING_INTEGRATOR;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  if (!match) return NO_BEARER;
  const { db } = ctx;
  const now = ctx.now();
  return db.transaction((): ProviderResponse => {
    const row = db
      .prepare(
        `SELECT p.pay_connect_id, p.integrator_id FROM tokens t
         JOIN pairings p ON p.pay_connect_id = t.pay_connect_id
         WHERE t.token_sha256 = ? AND t.expires_at > ? AND p.status = 'active'`,
      )
      .get(sha256Hex(match[1]!), now) as { pay_connect_id: string; integrator_id: string } | undefined;
    if (!row || row.integrator_id !== integratorId) return INVALID_TOKEN;
    db.prepare("UPDATE pairings SET status = 'unpaired', unpaired_at = ? WHERE pay_connect_id = ?").run(
      now,
      row.pay_connect_id,
    );
    db.prepare("DELETE FROM tokens WHERE pay_connect_id = ?").run(row.pay_connect_id);
    return detail(200, "Unpaired");
  }).immediate();
}
