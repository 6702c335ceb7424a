/**
 * The HTTP core of the Pay-Connect client: one request (GET or POST) with the integrator header,
 * JSON in and out, a timeout that covers the body, no redirects followed, and the outcome rules
 * (./error-map.ts) applied to every failure. It reads no configuration.
 */
import type { ProviderEnvironment as PayConnectEnvironment } from "../providers/types";
import {
  formatSeconds,
  isTimeout,
  mapStatus,
  NEVER_SENT_ROWS,
  networkCodes,
  providerDetail,
  UNKNOWN_OUTCOME,
  type Operation,
} from "./error-map";
import { PayConnectError, type PayConnectErrorCode } from "./errors";
import { INTEGRATOR_ID_HEADER, PAY_CONNECT_PATHS } from "./wire";

/** A pino-compatible subset. Receives call name, host, status, duration and error code only. */
export type PayConnectLogger = {
  info(obj: Record<string, unknown>, msg: string): void;
  /** For routine reads that answered 2xx (a status poll every few seconds); info when absent. */
  debug?(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
};

export type HttpOptions = {
  environment: PayConnectEnvironment;
  baseUrl: string;
  integratorId: string | undefined;
  /** Every call's timeout unless the request names its own. */
  timeoutMs: number;
  fetch?: typeof fetch;
  logger?: PayConnectLogger;
};

type HttpRequest = {
  method: "GET" | "POST" | "PATCH";
  /** Defaults to the operation's documented path. */
  path?: string;
  /** JSON body (POST only). */
  body?: unknown;
  bearer?: string;
  timeoutMs?: number;
};

export type HttpAnswer = { status: number; text: string };

export type HttpCore = {
  environment: PayConnectEnvironment;
  baseUrl: string;
  /** Logs the failure and builds the error the caller throws. */
  fail(op: Operation, code: PayConnectErrorCode, message: string, outcome: "failed" | "unknown", status?: number): PayConnectError;
  /** The integrator id, or throws not_configured (nothing sent). */
  requireIntegratorId(op: Operation): string;
  /** One request; throws PayConnectError on a network failure or timeout, never on a status. */
  request(op: Operation, req: HttpRequest): Promise<HttpAnswer>;
  /** The error for a non-2xx answer. `sent` are values whose echo must not be shown. */
  statusError(op: Operation, answer: HttpAnswer, sent: string[]): PayConnectError;
};

export function createHttpCore(opts: HttpOptions): HttpCore {
  const { environment, logger } = opts;
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

  const fail: HttpCore["fail"] = (op, code, message, outcome, status) => {
    logger?.warn({ call: op, environment, host, code, outcome, status }, "Pay-Connect call failed");
    return new PayConnectError(code, message, { outcome, status });
  };

  const requireIntegratorId: HttpCore["requireIntegratorId"] = (op) => {
    const id = opts.integratorId?.trim();
    if (!id) {
      throw fail(op, "not_configured", `${notConfiguredReason(environment)} Nothing was sent.`, "failed");
    }
    return id;
  };

  function networkError(op: Operation, err: unknown, timeoutMs: number): PayConnectError {
    if (err instanceof PayConnectError) return err;
    if (isTimeout(err)) {
      const what = op === "token" ? "the token request " : "";
      return fail(
        op,
        "timeout",
        `Pay-Connect did not answer ${what}within ${formatSeconds(timeoutMs)}. ${UNKNOWN_OUTCOME[op]}`,
        "unknown",
      );
    }
    const { codes, messages } = networkCodes(err);
    const neverSent = NEVER_SENT_ROWS.find((row) => row.when(codes, messages));
    if (neverSent) {
      return fail(
        op,
        "unreachable",
        `Pay-Connect could not be reached: ${neverSent.reason(host)}. Nothing was sent. Check the network and ${urlVariable}.`,
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

  const request: HttpCore["request"] = async (op, req) => {
    const integratorId = requireIntegratorId(op);
    const timeoutMs = req.timeoutMs ?? opts.timeoutMs;
    const headers: Record<string, string> = {
      Accept: "application/json",
      "User-Agent": "Pairdesk",
      [INTEGRATOR_ID_HEADER]: integratorId,
    };
    const hasBody = req.method !== "GET";
    if (hasBody) headers["Content-Type"] = "application/json";
    if (req.bearer) headers.Authorization = `Bearer ${req.bearer}`;
    const started = Date.now();
    try {
      const res = await doFetch(`${baseUrl}${req.path ?? PAY_CONNECT_PATHS[op]}`, {
        method: req.method,
        headers,
        body: hasBody ? JSON.stringify(req.body ?? {}) : undefined,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      // A read that answered 2xx is routine (the poller asks every few seconds): debug, so that
      // the log keeps what a person needs to see. Every write, and every failure, stays at info.
      const fields = { call: op, environment, host, status: res.status, ms: Date.now() - started };
      if (req.method === "GET" && res.status < 300 && logger?.debug) logger.debug(fields, "Pay-Connect call answered");
      else logger?.info(fields, "Pay-Connect call answered");
      return { status: res.status, text };
    } catch (err) {
      throw networkError(op, err, timeoutMs);
    }
  };

  const statusError: HttpCore["statusError"] = (op, answer, sent) => {
    let detail: string | undefined | null = null;
    const mapped = mapStatus({
      op,
      status: answer.status,
      detail: () => (detail === null ? (detail = providerDetail(answer.text, sent)) : detail),
      urlVariable,
      integratorVariable,
    });
    const err = fail(op, mapped.code, mapped.message, mapped.outcome, answer.status);
    // Assumption 8: a token request refused with 401/403 means the credentials themselves are
    // no longer valid (the pairing was ended on the terminal or by Pay-Connect).
    return op === "token" && (answer.status === 401 || answer.status === 403)
      ? new PayConnectError(err.code, err.message, { outcome: err.outcome, status: answer.status, credentialsRefused: true })
      : err;
  };

  return { environment, baseUrl, fail, requireIntegratorId, request, statusError };
}

/** Why an environment without an integrator id cannot be used, with what an admin sets. */
export function notConfiguredReason(environment: PayConnectEnvironment): string {
  return `No Pay-Connect integrator id is configured for ${environment}: an admin sets PAY_CONNECT_${environment.toUpperCase()}_INTEGRATOR_ID (or PAY_CONNECT_INTEGRATOR_ID for both environments) and restarts Pairdesk.`;
}

/** The parsed JSON of a body, or undefined. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Field paths (never values) of a failed response schema. */
export function fieldsOf(issues: { path: PropertyKey[] }[]): string {
  const names = [...new Set(issues.map((i) => i.path.map(String).join(".") || "body"))];
  return names.slice(0, 6).join(", ");
}
