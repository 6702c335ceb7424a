/**
 * How a Pay-Connect failure becomes a PayConnectError: two tables, read top to bottom, the
 * first matching row wins. Every row says what the person at the screen is told and whether
 * the request may have been processed (the outcome policy in ./assumptions.ts).
 */
import { GATEWAY_UNKNOWN_OUTCOME_STATUSES, PROVIDER_DETAIL_MAX_CHARS } from "./assumptions";
import type { PayConnectErrorCode } from "./errors";
import { PAY_CONNECT_PATHS, providerErrorSchema } from "./wire";

export type Operation = keyof typeof PAY_CONNECT_PATHS;
type Outcome = "failed" | "unknown";

/** What the person should know when a call's outcome is unknown. */
export const UNKNOWN_OUTCOME: Record<Operation, string> = {
  pair: "The outcome is unknown: the terminal may have been paired. Check the terminal's screen. If it shows it is paired, its credentials did not reach Pairdesk and cannot be fetched again: unpair it on the terminal (or through Pay-Connect support), generate a new OTP and pair again. If it shows it is not paired, pair again: with the same OTP, or with a new one if that is refused.",
  token: "No pairing was changed; try again.",
  unpair: "The outcome is unknown: the terminal may have been unpaired. Check the terminal's screen, then try again.",
  charge: "The outcome is unknown: the charge may have reached the terminal. Its status will show here once Pay-Connect reports it; do not charge again before checking the terminal.",
  preauth: "The outcome is unknown: the preauthorisation may have reached the terminal. Its status will show here once Pay-Connect reports it.",
  independentRefund: "The outcome is unknown: the refund may have reached the terminal. Its status will show here once Pay-Connect reports it; do not refund again before checking.",
  refund: "The outcome is unknown: the refund may have been made. Check the transaction's refunds before trying again.",
  cancel: "The outcome is unknown: the cancel may have reached the terminal. The transaction's status will say.",
  revert: "The outcome is unknown: the revert may have been sent. The transaction's status will say.",
  preauthComplete: "The outcome is unknown: the completion may have been sent. The transaction's status will say.",
  preauthIncrement: "The outcome is unknown: the increment may have been sent. The transaction's status will say.",
  transaction: "Nothing was changed; the status is asked again later.",
  operation: "Nothing was changed; the operation is asked again later.",
  printSlip: "Nothing was changed; try again.",
  configuration: "Nothing was changed; try again.",
  patch: "The outcome is unknown: the metadata may have been saved.",
};

const NOTHING_DONE: Record<Operation, string> = {
  pair: "Nothing was paired",
  token: "No token was issued",
  unpair: "Nothing was unpaired",
  charge: "Nothing was charged",
  preauth: "Nothing was preauthorised",
  independentRefund: "Nothing was refunded",
  refund: "Nothing was refunded",
  cancel: "Nothing was cancelled",
  revert: "Nothing was reverted",
  preauthComplete: "Nothing was completed",
  preauthIncrement: "Nothing was incremented",
  transaction: "The status was not read",
  operation: "The operation was not read",
  printSlip: "The print slip was not read",
  configuration: "The configuration was not read",
  patch: "Nothing was changed",
};

export const OTP_REJECTED_MESSAGE =
  "The OTP was rejected: it may be mistyped, or already used or expired. Check it against the terminal's screen; if it matches, generate a new OTP on the terminal.";
export const OTP_EXPIRED_MESSAGE =
  "The OTP has expired (an OTP lasts a few minutes). Generate a new OTP on the terminal and enter it.";
export const OTP_USED_MESSAGE =
  "This OTP was already used: an OTP pairs once. If the terminal shows it is paired, its credentials went to whoever used the OTP; generate a new OTP on the terminal to pair it here.";

/**
 * Assumption 7b: Pay-Connect documents no error body. Where its detail says why an OTP failed
 * (expired, already used), the message says so; otherwise the one message covers every case.
 */
function otpRejectedMessage(detail: string | undefined): string {
  const d = (detail ?? "").toLowerCase();
  if (/expired/.test(d) && !/invalid|used/.test(d)) return OTP_EXPIRED_MESSAGE;
  if (/already used|used/.test(d) && !/invalid|expired/.test(d)) return OTP_USED_MESSAGE;
  // "Invalid OTP" may mean an expired or used one too: the message that covers every case.
  return OTP_REJECTED_MESSAGE;
}

/** What each call is called in a message ("the refund request"). */
const OP_LABELS: Record<Operation, string> = {
  pair: "pair",
  token: "token",
  unpair: "unpair",
  charge: "charge",
  preauth: "preauthorisation",
  independentRefund: "independent refund",
  refund: "refund",
  cancel: "cancel",
  revert: "revert",
  preauthComplete: "preauthorisation completion",
  preauthIncrement: "preauthorisation increment",
  transaction: "status",
  operation: "operation status",
  printSlip: "print slip",
  configuration: "configuration",
  patch: "metadata",
};

/** Calls about one transaction or operation, by id: their 404 means Pay-Connect does not know it. */
const BY_ID: readonly Operation[] = [
  "transaction",
  "cancel",
  "refund",
  "printSlip",
  "revert",
  "preauthComplete",
  "preauthIncrement",
  "operation",
  "patch",
];

export type Mapped = { code: PayConnectErrorCode; outcome: Outcome; message: string };

/** What a row's message may use: the call, its answer and the settings to point at. */
export type StatusContext = {
  op: Operation;
  status: number;
  /** A short, safe detail from the error body, if any (computed on demand). */
  detail: () => string | undefined;
  urlVariable: string;
  integratorVariable: string;
};

type StatusRow = {
  when: (c: StatusContext) => boolean;
  code: PayConnectErrorCode;
  outcome: Outcome | ((c: StatusContext) => Outcome);
  message: (c: StatusContext) => string;
};

const said = (message: string, detail: string | undefined) =>
  detail ? `${message} Pay-Connect said: "${detail}"` : message;
const between = (lo: number, hi: number) => (c: StatusContext) => c.status >= lo && c.status < hi;

/** Non-2xx answers. */
const STATUS_ROWS: readonly StatusRow[] = [
  {
    when: between(300, 400),
    code: "bad_request",
    outcome: "failed",
    message: (c) =>
      `Pay-Connect answered with a redirect (HTTP ${c.status}) instead of an answer. ${NOTHING_DONE[c.op]}; check ${c.urlVariable}.`,
  },
  {
    // Assumption 7: a pair 400 that names the integrator id is about the configuration.
    when: (c) => c.op === "pair" && c.status === 400 && /integrator/i.test(c.detail() ?? ""),
    code: "bad_request",
    outcome: "failed",
    message: (c) =>
      said(`Pay-Connect refused the integrator id (400). Nothing was paired; check ${c.integratorVariable}.`, c.detail()),
  },
  {
    // Assumption 7: any other pair 400 is the OTP (fixed message, no provider detail).
    when: (c) => c.op === "pair" && c.status === 400,
    code: "otp_rejected",
    outcome: "failed",
    message: (c) => otpRejectedMessage(c.detail()),
  },
  {
    when: (c) => c.op === "pair" && (c.status === 401 || c.status === 403),
    code: "unauthorized",
    outcome: "failed",
    message: (c) =>
      said(`Pay-Connect refused the integrator id (${c.status}). Nothing was paired; check ${c.integratorVariable}.`, c.detail()),
  },
  {
    // Assumption 8: on token or unpair, the pairing's credentials are no longer valid.
    when: (c) => c.status === 401 || c.status === 403,
    code: "unauthorized",
    outcome: "failed",
    message: (c) =>
      `Pay-Connect refused this pairing's credentials (${c.status}): the pairing may already be unpaired on Pay-Connect's side.`,
  },
  {
    when: (c) => c.status === 404 && BY_ID.includes(c.op),
    code: "bad_request",
    outcome: "failed",
    message: (c) =>
      said(
        `Pay-Connect does not know this ${c.op === "operation" ? "operation" : "transaction"} for this pairing (HTTP 404): it may belong to another terminal or pairing. ${NOTHING_DONE[c.op]}.`,
        c.detail(),
      ),
  },
  {
    when: (c) => c.status === 404,
    code: "bad_request",
    outcome: "failed",
    message: (c) =>
      `Pay-Connect answered HTTP 404 for ${PAY_CONNECT_PATHS[c.op]}. ${NOTHING_DONE[c.op]}; check ${c.urlVariable}.`,
  },
  {
    when: (c) => c.status === 429,
    code: "unavailable",
    outcome: "failed",
    message: (c) => `Pay-Connect is limiting requests (HTTP 429). ${NOTHING_DONE[c.op]}; try again in a minute.`,
  },
  {
    when: between(400, 500),
    code: "bad_request",
    outcome: "failed",
    message: (c) =>
      said(`Pay-Connect refused the ${OP_LABELS[c.op]} request (HTTP ${c.status}). ${NOTHING_DONE[c.op]}.`, c.detail()),
  },
  {
    when: (c) => c.op !== "token" && GATEWAY_UNKNOWN_OUTCOME_STATUSES.includes(c.status),
    code: "unavailable",
    outcome: "unknown",
    message: (c) => `A gateway in front of Pay-Connect answered HTTP ${c.status}. ${UNKNOWN_OUTCOME[c.op]}`,
  },
  {
    when: between(500, 600),
    code: "unavailable",
    outcome: "failed",
    message: (c) => `Pay-Connect is unavailable (HTTP ${c.status}). ${NOTHING_DONE[c.op]}; try again in a few minutes.`,
  },
  {
    when: () => true,
    code: "invalid_response",
    outcome: (c) => (c.op === "token" ? "failed" : "unknown"),
    message: (c) =>
      `Pay-Connect answered with an unexpected HTTP status (${c.status}). ${c.op === "token" ? NOTHING_DONE.token + "." : UNKNOWN_OUTCOME[c.op]}`,
  },
];

export function mapStatus(c: StatusContext): Mapped {
  const row = STATUS_ROWS.find((r) => r.when(c))!;
  return {
    code: row.code,
    outcome: typeof row.outcome === "function" ? row.outcome(c) : row.outcome,
    message: row.message(c),
  };
}

// ---------------------------------------------------------------------------------------------
// Network failures: the request never left ("failed") unless the connection broke after it did.

const NEVER_SENT_DNS = ["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL", "EAI_NODATA"];
const NEVER_SENT_CONNECT = [
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL",
];
const NEVER_SENT_TLS = [
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
];

type NetworkRow = { when: (codes: string[], messages: string[]) => boolean; reason: (host: string) => string };

/** Failures before the request left: the reason shown, "Nothing was sent". */
export const NEVER_SENT_ROWS: readonly NetworkRow[] = [
  { when: (codes) => codes.some((c) => NEVER_SENT_DNS.includes(c)), reason: (h) => `the name ${h} could not be resolved` },
  { when: (codes) => codes.includes("ECONNREFUSED"), reason: (h) => `${h} refused the connection` },
  {
    when: (codes) => codes.some((c) => NEVER_SENT_TLS.includes(c)),
    reason: (h) => `the secure connection to ${h} failed (TLS certificate)`,
  },
  {
    when: (codes, messages) => codes.some((c) => NEVER_SENT_CONNECT.includes(c)) || messages.includes("bad port"),
    reason: (h) => `${h} could not be reached`,
  },
];

/** Error codes and messages found on an undici `TypeError: fetch failed` and its causes. */
export function networkCodes(err: unknown): { codes: string[]; messages: string[] } {
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

export function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown })?.name;
  return name === "TimeoutError" || name === "AbortError";
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  const text = Number.isInteger(s) ? String(s) : s.toFixed(1);
  return `${text} second${s === 1 ? "" : "s"}`;
}

const TOKEN_LIKE = /[A-Za-z0-9_\-+/=]{24,}/;

/**
 * A short error detail from a 4xx/5xx body, or undefined. Refused when it is long, looks like a
 * token, or contains a value we sent (assumption 6).
 */
export function providerDetail(text: string, sent: string[]): string | undefined {
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
