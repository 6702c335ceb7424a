/**
 * The Pay-Connect HTTP client. Pure: it reads no configuration (see ./index.ts for the one built
 * from getEnv()), so tests can point it at a local stub. Every call:
 * - carries X-Pay-Connect-Integrator-Id, Content-Type and Accept application/json;
 * - is bounded by AbortSignal.timeout(timeoutMs), body included;
 * - never follows redirects;
 * - fails with a PayConnectError whose message is written for the person at the screen and
 *   never contains an OTP, a secret, a token or the response body.
 * Assumptions and the outcome policy are listed in ./assumptions.ts.
 */
import { createHash } from "node:crypto";
import {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  GATEWAY_UNKNOWN_OUTCOME_STATUSES,
  PROVIDER_DETAIL_MAX_CHARS,
  TOKEN_REFRESH_MARGIN_SECONDS,
} from "./assumptions";
import { PayConnectError } from "./errors";
import {
  INTEGRATOR_ID_HEADER,
  PAY_CONNECT_PATHS,
  pairRequestSchema,
  pairResponseSchema,
  providerErrorSchema,
  tokenResponseSchema,
} from "./wire";

export { PayConnectError, type PayConnectErrorCode } from "./errors";

export type PayConnectEnvironment = "production" | "sandbox";
export type PairInput = { name: string; otp: string; webhookUrl?: string };
export type PairResult = {
  payConnectId: string;
  payConnectName: string;
  terminalId: string;
  clientId: string;
  clientSecret: string;
  webhookSecretKey: string | null;
};
export type ClientCredentials = { clientId: string; clientSecret: string };

export type PayConnectClient = {
  environment: PayConnectEnvironment;
  pair(input: PairInput): Promise<PairResult>;
  getAccessToken(creds: ClientCredentials): Promise<string>;
  unpair(creds: ClientCredentials): Promise<void>;
};

/** A pino-compatible subset. Receives call name, host, status, duration and error code only. */
export type PayConnectLogger = {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
};

export type PayConnectClientOptions = {
  environment: PayConnectEnvironment;
  baseUrl: string;
  integratorId: string | undefined;
  timeoutMs: number;
  fetch?: typeof fetch;
  logger?: PayConnectLogger;
};

type Operation = keyof typeof PAY_CONNECT_PATHS;

// ---------------------------------------------------------------------------------------------
// Token cache: per (environment, base URL, client id), shared by every client of the process
// (on globalThis, so that Next's separate module instances share it too).

type TokenEntry = {
  /** SHA-256 of the client secret: a cached token is only handed to the same credentials. */
  fingerprint: string;
  token?: string;
  /** When the cached token stops being reused (expiry minus the refresh margin). */
  staleAt?: number;
  pending?: Promise<string>;
};

const globalForTokens = globalThis as unknown as { __pairdeskPayConnectTokens?: Map<string, TokenEntry> };
const tokenCache: Map<string, TokenEntry> = (globalForTokens.__pairdeskPayConnectTokens ??= new Map());

/** Forget every cached access token (tests; after a configuration change). */
export function clearTokenCache(): void {
  tokenCache.clear();
}

function fingerprintOf(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** expires_in as seconds: a positive number or numeric string, else the default lifetime. */
export function tokenLifetimeSeconds(expiresIn: unknown): number {
  const n =
    typeof expiresIn === "number"
      ? expiresIn
      : typeof expiresIn === "string" && /^\s*\d+(\.\d+)?\s*$/.test(expiresIn)
        ? Number(expiresIn)
        : NaN;
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_TOKEN_LIFETIME_SECONDS;
}

// ---------------------------------------------------------------------------------------------
// Error helpers

const NEVER_SENT_DNS = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL", "EAI_NODATA"]);
const NEVER_SENT_CONNECT = new Set([
  "ECONNREFUSED",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL",
]);
const NEVER_SENT_TLS = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

/** Error codes found on an undici `TypeError: fetch failed` and its causes. */
function networkCodes(err: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number) => {
    if (!e || typeof e !== "object" || seen.has(e) || depth > 4) return;
    seen.add(e);
    const rec = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof rec.code === "string") codes.push(rec.code);
    if (typeof rec.message === "string") messages.push(rec.message);
    if (Array.isArray(rec.errors)) for (const inner of rec.errors) visit(inner, depth + 1);
    visit(rec.cause, depth + 1);
  };
  visit(err, 0);
  return { codes, messages };
}

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown })?.name;
  return name === "TimeoutError" || name === "AbortError";
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  const text = Number.isInteger(s) ? String(s) : s.toFixed(1);
  return `${text} second${s === 1 ? "" : "s"}`;
}

/** What the person should know when a call's outcome is unknown. */
const UNKNOWN_OUTCOME: Record<Operation, string> = {
  pair: "The outcome is unknown: the terminal may have been paired. Check the terminal's screen; if it is not paired, generate a new OTP on the terminal and pair again.",
  token: "No pairing was changed; try again.",
  unpair: "The outcome is unknown: the terminal may have been unpaired. Check the terminal's screen, then try again.",
};

const NOTHING_DONE: Record<Operation, string> = {
  pair: "Nothing was paired",
  token: "No token was issued",
  unpair: "Nothing was unpaired",
};

const TOKEN_LIKE = /[A-Za-z0-9_\-+/=]{24,}/;

/**
 * A short error detail from a 4xx/5xx body, or undefined. Refused when it is long, looks like a
 * token, or contains a value we sent.
 */
function providerDetail(text: string, sent: string[]): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = providerErrorSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const candidate = [parsed.data.detail, parsed.data.error, parsed.data.message].find(
    (v): v is string => typeof v === "string" && v.trim().length > 0,
  );
  if (!candidate) return undefined;
  const detail = candidate.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  if (detail.length >= PROVIDER_DETAIL_MAX_CHARS) return undefined;
  if (TOKEN_LIKE.test(detail)) return undefined;
  const lower = detail.toLowerCase();
  if (sent.some((s) => s.length >= 4 && lower.includes(s.toLowerCase()))) return undefined;
  return detail;
}

function withDetail(message: string, detail: string | undefined): string {
  return detail ? `${message} Pay-Connect said: "${detail}"` : message;
}

// ---------------------------------------------------------------------------------------------

export function createPayConnectClient(opts: PayConnectClientOptions): PayConnectClient {
  const { environment, timeoutMs, logger } = opts;
  const baseUrl = opts.baseUrl.replace(/\/+$/, "");
  const doFetch = opts.fetch ?? fetch;
  const ENV = environment.toUpperCase();
  const urlVariable = `PAY_CONNECT_${ENV}_URL`;
  const integratorVariable = `PAY_CONNECT_${ENV}_INTEGRATOR_ID`;
  let host: string;
  try {
    host = new URL(baseUrl).host;
  } catch {
    host = baseUrl;
  }

  function fail(
    op: Operation,
    code: ConstructorParameters<typeof PayConnectError>[0],
    message: string,
    outcome: "failed" | "unknown",
    status?: number,
  ): PayConnectError {
    logger?.warn({ call: op, environment, host, code, outcome, status }, "Pay-Connect call failed");
    return new PayConnectError(code, message, { outcome, status });
  }

  function requireIntegratorId(op: Operation): string {
    const id = opts.integratorId?.trim();
    if (!id) {
      throw fail(
        op,
        "not_configured",
        `No Pay-Connect integrator id is configured for ${environment}: set ${integratorVariable} (or PAY_CONNECT_INTEGRATOR_ID for both environments). Nothing was sent.`,
        "failed",
      );
    }
    return id;
  }

  /** One POST. Returns the status and the body text; throws on network failure or timeout. */
  async function post(
    op: Operation,
    body: unknown,
    bearer?: string,
  ): Promise<{ status: number; text: string }> {
    const integratorId = requireIntegratorId(op);
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Accept: "application/json",
      "User-Agent": "Pairdesk",
      [INTEGRATOR_ID_HEADER]: integratorId,
    };
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const started = Date.now();
    try {
      const res = await doFetch(`${baseUrl}${PAY_CONNECT_PATHS[op]}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      logger?.info(
        { call: op, environment, host, status: res.status, ms: Date.now() - started },
        "Pay-Connect call answered",
      );
      return { status: res.status, text };
    } catch (err) {
      throw networkError(op, err);
    }
  }

  function networkError(op: Operation, err: unknown): PayConnectError {
    if (err instanceof PayConnectError) return err;
    if (isTimeout(err)) {
      const what = op === "token" ? "the token request" : "";
      return fail(
        op,
        "timeout",
        `Pay-Connect did not answer ${what ? what + " " : ""}within ${formatSeconds(timeoutMs)}. ${UNKNOWN_OUTCOME[op]}`,
        "unknown",
      );
    }
    const { codes, messages } = networkCodes(err);
    let reason: string | undefined;
    if (codes.some((c) => NEVER_SENT_DNS.has(c))) reason = `the name ${host} could not be resolved`;
    else if (codes.includes("ECONNREFUSED")) reason = `${host} refused the connection`;
    else if (codes.some((c) => NEVER_SENT_TLS.has(c)))
      reason = `the secure connection to ${host} failed (TLS certificate)`;
    else if (codes.some((c) => NEVER_SENT_CONNECT.has(c)) || messages.includes("bad port"))
      reason = `${host} could not be reached`;
    if (reason) {
      return fail(
        op,
        "unreachable",
        `Pay-Connect could not be reached: ${reason}. Nothing was sent. Check the network and ${urlVariable}.`,
        "failed",
      );
    }
    return fail(
      op,
      "unreachable",
      `The connection to Pay-Connect (${host}) broke before an answer arrived. ${UNKNOWN_OUTCOME[op]}`,
      "unknown",
    );
  }

  /** The error for a non-2xx answer. `sent` are values whose echo must not be shown. */
  function statusError(op: Operation, status: number, text: string, sent: string[]): PayConnectError {
    const detail = () => providerDetail(text, sent);
    if (status >= 300 && status < 400) {
      return fail(
        op,
        "bad_request",
        `Pay-Connect answered with a redirect (HTTP ${status}) instead of an answer. ${NOTHING_DONE[op]}; check ${urlVariable}.`,
        "failed",
        status,
      );
    }
    if (status === 400 && op === "pair" && /integrator/i.test(detail() ?? "")) {
      // Assumption (see assumptions.ts): a 400 that names the integrator id is about the
      // configuration, not the OTP, and says so rather than sending staff to the terminal.
      return fail(
        op,
        "bad_request",
        withDetail(`Pay-Connect refused the integrator id (400). Nothing was paired; check ${integratorVariable}.`, detail()),
        "failed",
        status,
      );
    }
    if (status === 400 && op === "pair") {
      return fail(
        op,
        "otp_rejected",
        "The OTP was rejected: it may be mistyped, already used or expired. Generate a new OTP on the terminal.",
        "failed",
        status,
      );
    }
    if (status === 401 || status === 403) {
      if (op === "pair") {
        return fail(
          op,
          "unauthorized",
          withDetail(
            `Pay-Connect refused the integrator id (${status}). Nothing was paired; check ${integratorVariable}.`,
            detail(),
          ),
          "failed",
          status,
        );
      }
      return fail(
        op,
        "unauthorized",
        `Pay-Connect refused this pairing's credentials (${status}): the pairing may already be unpaired on Pay-Connect's side.`,
        "failed",
        status,
      );
    }
    if (status === 404) {
      return fail(
        op,
        "bad_request",
        `Pay-Connect answered HTTP 404 for ${PAY_CONNECT_PATHS[op]}. ${NOTHING_DONE[op]}; check ${urlVariable}.`,
        "failed",
        status,
      );
    }
    if (status === 429) {
      return fail(
        op,
        "unavailable",
        `Pay-Connect is limiting requests (HTTP 429). ${NOTHING_DONE[op]}; try again in a minute.`,
        "failed",
        status,
      );
    }
    if (status >= 400 && status < 500) {
      return fail(
        op,
        "bad_request",
        withDetail(`Pay-Connect rejected the ${op} request (HTTP ${status}). ${NOTHING_DONE[op]}.`, detail()),
        "failed",
        status,
      );
    }
    if (status >= 500 && status < 600) {
      if (op !== "token" && GATEWAY_UNKNOWN_OUTCOME_STATUSES.includes(status)) {
        return fail(
          op,
          "unavailable",
          `A gateway in front of Pay-Connect answered HTTP ${status}. ${UNKNOWN_OUTCOME[op]}`,
          "unknown",
          status,
        );
      }
      return fail(
        op,
        "unavailable",
        `Pay-Connect is unavailable (HTTP ${status}). ${NOTHING_DONE[op]}; try again in a few minutes.`,
        "failed",
        status,
      );
    }
    return fail(
      op,
      "invalid_response",
      `Pay-Connect answered with an unexpected HTTP status (${status}). ${op === "token" ? NOTHING_DONE.token + "." : UNKNOWN_OUTCOME[op]}`,
      op === "token" ? "failed" : "unknown",
      status,
    );
  }

  function parseJson(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  /** Field paths (never values) of a failed response schema. */
  function fieldsOf(issues: { path: PropertyKey[] }[]): string {
    const names = [...new Set(issues.map((i) => i.path.map(String).join(".") || "body"))];
    return names.slice(0, 6).join(", ");
  }

  async function pair(input: PairInput): Promise<PairResult> {
    requireIntegratorId("pair");
    const body = pairRequestSchema.safeParse({
      name: input.name,
      otp: input.otp,
      ...(input.webhookUrl ? { webhook_url: input.webhookUrl } : {}),
    });
    if (!body.success) {
      const problems = [...new Set(body.error.issues.map((i) => i.message))].join("; ");
      throw fail("pair", "bad_request", `The pair request is invalid: ${problems}. Nothing was sent.`, "failed");
    }
    const { status, text } = await post("pair", body.data);
    if (status < 200 || status >= 300) throw statusError("pair", status, text, [body.data.otp]);
    const parsed = pairResponseSchema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw fail(
        "pair",
        "invalid_response",
        `Pay-Connect answered the pair call (HTTP ${status}) with a response Pairdesk could not read (${fieldsOf(parsed.error.issues)}). The outcome is unknown: the terminal may have been paired, but its credentials could not be read. Check the terminal's screen: if it shows this pairing, its credentials are lost; have it unpaired (on the terminal or by Pay-Connect support) and pair again with a new OTP.`,
        "unknown",
        status,
      );
    }
    const r = parsed.data;
    return {
      payConnectId: r.pay_connect_id,
      payConnectName: r.pay_connect_name,
      terminalId: r.terminal_id,
      clientId: r.client_id,
      clientSecret: r.client_secret,
      webhookSecretKey: r.webhook_secret_key,
    };
  }

  async function requestToken(creds: ClientCredentials): Promise<{ token: string; lifetimeSeconds: number }> {
    const { status, text } = await post("token", {
      grant_type: "client_credentials",
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
    });
    if (status < 200 || status >= 300) {
      throw statusError("token", status, text, [creds.clientId, creds.clientSecret]);
    }
    const parsed = tokenResponseSchema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw fail(
        "token",
        "invalid_response",
        `Pay-Connect answered the token request (HTTP ${status}) with a response Pairdesk could not read (${fieldsOf(parsed.error.issues)}). No pairing was changed.`,
        "failed",
        status,
      );
    }
    return { token: parsed.data.access_token, lifetimeSeconds: tokenLifetimeSeconds(parsed.data.expires_in) };
  }

  function cacheKey(clientId: string): string {
    return `${environment}\n${baseUrl}\n${clientId}`;
  }

  function checkCredentials(op: Operation, creds: ClientCredentials) {
    if (!creds.clientId || !creds.clientSecret) {
      throw fail(op, "bad_request", "This pairing has no client credentials. Nothing was sent.", "failed");
    }
  }

  async function tokenFor(
    creds: ClientCredentials,
    options: { fresh?: boolean } = {},
  ): Promise<{ token: string; fromCache: boolean }> {
    requireIntegratorId("token");
    checkCredentials("token", creds);
    const key = cacheKey(creds.clientId);
    const fingerprint = fingerprintOf(creds.clientSecret);
    const entry = tokenCache.get(key);
    if (!options.fresh && entry && entry.fingerprint === fingerprint) {
      if (entry.token && entry.staleAt !== undefined && Date.now() < entry.staleAt) {
        return { token: entry.token, fromCache: true };
      }
      if (entry.pending) return { token: await entry.pending, fromCache: false };
    }
    const started = Date.now();
    const pending: Promise<string> = requestToken(creds).then(
      ({ token, lifetimeSeconds }) => {
        if (tokenCache.get(key)?.pending === pending) {
          const staleAt = started + (lifetimeSeconds - TOKEN_REFRESH_MARGIN_SECONDS) * 1000;
          if (staleAt > Date.now()) tokenCache.set(key, { fingerprint, token, staleAt });
          else tokenCache.delete(key);
        }
        return token;
      },
      (err: unknown) => {
        if (tokenCache.get(key)?.pending === pending) tokenCache.delete(key);
        throw err;
      },
    );
    tokenCache.set(key, { fingerprint, pending });
    return { token: await pending, fromCache: false };
  }

  async function unpair(creds: ClientCredentials): Promise<void> {
    requireIntegratorId("unpair");
    checkCredentials("unpair", creds);
    const key = cacheKey(creds.clientId);
    const token = async (fresh: boolean) => {
      try {
        return await tokenFor(creds, { fresh });
      } catch (err) {
        // The unpair request itself was not sent: whatever the token call's outcome, nothing
        // was unpaired.
        if (err instanceof PayConnectError && err.outcome === "unknown") {
          throw new PayConnectError(err.code, err.message, { outcome: "failed", status: err.status });
        }
        throw err;
      }
    };
    let bearer = await token(false);
    let res = await post("unpair", {}, bearer.token);
    if (res.status === 401 && bearer.fromCache) {
      tokenCache.delete(key);
      bearer = await token(true);
      res = await post("unpair", {}, bearer.token);
    }
    if (res.status >= 200 && res.status < 300) {
      tokenCache.delete(key);
      return;
    }
    if (res.status === 401 || res.status === 403) tokenCache.delete(key);
    throw statusError("unpair", res.status, res.text, [creds.clientId, creds.clientSecret, bearer.token]);
  }

  return {
    environment,
    pair,
    getAccessToken: async (creds) => (await tokenFor(creds)).token,
    unpair,
  };
}
