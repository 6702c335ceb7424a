/**
 * The simulator's Pay-Connect transaction endpoints (base http://<host>/simulator/api), one
 * function routing every path under /v1/pay-connect/ other than pair and unpair:
 *   POST transactions/generate/  transactions/preauth/  transactions/refund/ (independent)
 *   GET  transactions/{id}/      (status polling, assumed)       PATCH transactions/{id}/ {metadata}
 *   POST transactions/{id}/cancel/   transactions/{id}/refund/   GET transactions/{id}/print-slip/
 *   POST transaction-operations/{id}/revert/  …/preauth-complete/  …/preauth-increment/
 *   GET  transaction-operations/{operation_id}/     GET configuration/
 * Every call needs the integrator header and the bearer of an active pairing, and sees only that
 * pairing's terminal's transactions (another's id → 404). Bodies are validated with the client's
 * own wire.ts schemas, refusing unknown fields on documented bodies, like a strict provider.
 */
import { z } from "zod";
import {
  chargeRequestSchema,
  independentRefundRequestSchema,
  INTEGRATOR_ID_HEADER,
  preauthCompleteRequestSchema,
  preauthRequestSchema,
  refundRequestSchema,
} from "../pay-connect/wire";
import { recordCall } from "./calls";
import { defaultSleep, sha256Hex, type SimulatorContext } from "./context";
import { takeFault, type ProviderCall } from "./faults";
import { readBody } from "./http";
import {
  cancelTransaction,
  completePreauth,
  incrementPreauth,
  refundTransaction,
  revertTransaction,
  type PaymentRefusal,
} from "./payment-operations";
import {
  getOperation,
  getTransaction,
  isFinalSim,
  printSlip,
  SIM_CURRENCY,
  SIM_PAYMENT_METHODS,
  SIM_TIME_ZONE,
  transactionObject,
  type SimTransaction,
} from "./payment-rows";
import { createTransaction, expireOverdue } from "./payments";
import { resumeWebhooks } from "./webhooks";

const NO_STORE = { "Cache-Control": "no-store" };
const json = (status: number, body: unknown) => Response.json(body, { status, headers: NO_STORE });
const detail = (status: number, text: string) => json(status, { detail: text });

type Pairing = { payConnectId: string; terminalId: string; label: string };

function authenticate(ctx: SimulatorContext, headers: Headers): Pairing | Response {
  const integrator = headers.get(INTEGRATOR_ID_HEADER)?.trim();
  if (!integrator) return detail(400, `Missing ${INTEGRATOR_ID_HEADER} header`);
  if (!ctx.integratorIds.has(integrator)) return detail(400, `Unknown ${INTEGRATOR_ID_HEADER}`);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  if (!match) return detail(401, "Authentication credentials were not provided.");
  const row = ctx.db
    .prepare(
      `SELECT p.pay_connect_id, p.terminal_id, p.integrator_id, t.label FROM tokens k
       JOIN pairings p ON p.pay_connect_id = k.pay_connect_id
       JOIN terminals t ON t.terminal_id = p.terminal_id
       WHERE k.token_sha256 = ? AND k.expires_at > ? AND p.status = 'active'`,
    )
    .get(sha256Hex(match[1]!), ctx.now()) as { pay_connect_id: string; terminal_id: string; integrator_id: string; label: string } | undefined;
  if (!row || row.integrator_id !== integrator) return detail(401, "Invalid or expired token");
  return { payConnectId: row.pay_connect_id, terminalId: row.terminal_id, label: row.label };
}

type Route = {
  method: "GET" | "POST" | "PATCH";
  pattern: RegExp;
  call: ProviderCall | null;
  handle: (ctx: SimulatorContext, p: Pairing, id: string | undefined, body: unknown) => Response;
};

function bodyOf<S extends z.ZodType>(schema: S, body: unknown): z.output<S> | Response {
  const parsed = (schema instanceof z.ZodObject ? schema.strict() : schema).safeParse(body);
  if (parsed.success) return parsed.data as z.output<S>;
  const fields = [...new Set(parsed.error.issues.map((i) => [...i.path.map(String), ...("keys" in i ? (i.keys as string[]) : [])].join(".") || "body"))];
  return detail(400, `Invalid request: ${fields.join(", ")}`);
}

/** The pairing's terminal's transaction, or a 404. */
function own(ctx: SimulatorContext, p: Pairing, id: string | undefined): SimTransaction | Response {
  const t = id ? getTransaction(ctx, id) : null;
  if (!t || t.terminal_id !== p.terminalId) return detail(404, "Not found.");
  return t;
}

const created = (t: SimTransaction) => json(200, { transaction_id: t.transaction_id });

/**
 * An operation on one of the pairing's transactions (revert, preauth completion and increase):
 * its body validated when it has one, refused in the provider's words, or started, answering the
 * operation's id.
 */
function operationRoute(
  pattern: RegExp,
  schema: typeof preauthCompleteRequestSchema | null,
  start: (ctx: SimulatorContext, t: SimTransaction, body: z.output<typeof preauthCompleteRequestSchema> | null) => { operationId: string } | PaymentRefusal,
): Route {
  return {
    method: "POST",
    pattern,
    call: "revert",
    handle: (ctx, p, id, raw) => {
      const t = own(ctx, p, id);
      if (t instanceof Response) return t;
      const b = schema ? bodyOf(schema, raw) : null;
      if (b instanceof Response) return b;
      const r = start(ctx, t, b);
      return "refused" in r ? detail(400, r.refused) : json(200, { operation_id: r.operationId, transaction_id: t.transaction_id });
    },
  };
}

const ROUTES: Route[] = [
  {
    method: "POST",
    pattern: /^transactions\/generate\/$/,
    call: "charge",
    handle: (ctx, p, _id, raw) => {
      const b = bodyOf(chargeRequestSchema, raw);
      if (b instanceof Response) return b;
      if (b.payment_method && !SIM_PAYMENT_METHODS.includes(b.payment_method)) return detail(400, "Unsupported payment_method");
      return created(
        createTransaction(ctx, p, { kind: "charge", amount: b.amount, clientTransactionId: b.client_transaction_id, paymentMethod: b.payment_method }).transaction,
      );
    },
  },
  {
    method: "POST",
    pattern: /^transactions\/preauth\/$/,
    call: "charge",
    handle: (ctx, p, _id, raw) => {
      const b = bodyOf(preauthRequestSchema, raw);
      if (b instanceof Response) return b;
      return created(createTransaction(ctx, p, { kind: "preauth", amount: b.amount, clientTransactionId: b.client_transaction_id }).transaction);
    },
  },
  {
    method: "POST",
    pattern: /^transactions\/refund\/$/,
    call: "charge",
    handle: (ctx, p, _id, raw) => {
      const b = bodyOf(independentRefundRequestSchema, raw);
      if (b instanceof Response) return b;
      return created(
        createTransaction(ctx, p, { kind: "independent_refund", amount: b.amount, clientTransactionId: b.client_transaction_id }).transaction,
      );
    },
  },
  {
    method: "GET",
    pattern: /^transactions\/([^/]+)\/$/,
    call: "status",
    handle: (ctx, p, id) => {
      const t = own(ctx, p, id);
      return t instanceof Response ? t : json(200, transactionObject(t));
    },
  },
  {
    method: "PATCH",
    pattern: /^transactions\/([^/]+)\/$/,
    call: null,
    handle: (ctx, p, id, raw) => {
      const t = own(ctx, p, id);
      if (t instanceof Response) return t;
      const b = bodyOf(z.object({ metadata: z.record(z.string(), z.unknown()) }), raw);
      return b instanceof Response ? b : json(200, transactionObject(t));
    },
  },
  {
    method: "POST",
    pattern: /^transactions\/([^/]+)\/cancel\/$/,
    call: "cancel",
    handle: (ctx, p, id) => {
      const t = own(ctx, p, id);
      if (t instanceof Response) return t;
      const refused = cancelTransaction(ctx, t);
      return refused ? detail(400, refused.refused) : json(200, {});
    },
  },
  {
    method: "POST",
    pattern: /^transactions\/([^/]+)\/refund\/$/,
    call: "refund",
    handle: (ctx, p, id, raw) => {
      const t = own(ctx, p, id);
      if (t instanceof Response) return t;
      const b = bodyOf(refundRequestSchema, raw);
      if (b instanceof Response) return b;
      const r = refundTransaction(ctx, t, b.amount);
      return "refused" in r ? detail(400, r.refused) : created(r.transaction);
    },
  },
  {
    method: "GET",
    pattern: /^transactions\/([^/]+)\/print-slip\/$/,
    call: null,
    handle: (ctx, p, id) => {
      const t = own(ctx, p, id);
      if (t instanceof Response) return t;
      if (!isFinalSim(t.status)) return detail(400, "The print slip is available for completed transactions only");
      return json(200, printSlip(t, p.label));
    },
  },
  operationRoute(/^transaction-operations\/([^/]+)\/revert\/$/, null, (ctx, t) => revertTransaction(ctx, t)),
  operationRoute(/^transaction-operations\/([^/]+)\/preauth-complete\/$/, preauthCompleteRequestSchema, (ctx, t, b) => completePreauth(ctx, t, b!.amount)),
  operationRoute(/^transaction-operations\/([^/]+)\/preauth-increment\/$/, preauthCompleteRequestSchema, (ctx, t, b) => incrementPreauth(ctx, t, b!.amount)),
  {
    method: "GET",
    pattern: /^transaction-operations\/([^/]+)\/$/,
    call: "status",
    handle: (ctx, p, id) => {
      const op = id ? getOperation(ctx, id) : null;
      const t = op ? getTransaction(ctx, op.transaction_id) : null;
      if (!op || !t || t.terminal_id !== p.terminalId) return detail(404, "Not found.");
      return json(200, { operation_id: op.operation_id, operation_type: op.type, transaction_id: op.transaction_id, status: op.status, metadata: null });
    },
  },
  {
    method: "GET",
    pattern: /^configuration\/$/,
    call: null,
    handle: () => json(200, { currency: SIM_CURRENCY, timezone: SIM_TIME_ZONE, payment_methods: SIM_PAYMENT_METHODS }),
  },
];

/** Handles `<method> /simulator/api/v1/pay-connect/<path>`. */
export async function handlePaymentRequest(ctx: SimulatorContext, request: Request, path: string): Promise<Response> {
  resumeWebhooks(ctx);
  expireOverdue(ctx);
  const method = request.method.toUpperCase();
  let route: Route | undefined;
  let id: string | undefined;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (m) {
      if (r.method !== method) continue;
      route = r;
      id = m[1] ? decodeURIComponent(m[1]) : undefined;
      break;
    }
  }
  if (!route) {
    const known = ROUTES.some((r) => r.pattern.test(path));
    return known ? detail(405, `Method "${method}" not allowed.`) : detail(404, "Not found.");
  }
  const text = method === "GET" ? "" : await readBody(request);
  if (text === null) return detail(413, "Request body too large");
  let body: unknown = {};
  if (method !== "GET") {
    const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") return detail(415, 'Unsupported media type: send "application/json".');
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return detail(400, "Invalid JSON body");
    }
  }
  const auth = authenticate(ctx, request.headers);
  if (auth instanceof Response) return auth;
  const call = route.call;
  if (call) {
    const fault = takeFault(ctx, call, auth.terminalId);
    if (fault?.kind.endsWith("_500")) {
      recordCall(ctx, { call, terminalId: auth.terminalId, status: 500 });
      return detail(500, "Simulated server error");
    }
    if (fault?.kind.endsWith("_slow")) await (ctx.sleep ?? defaultSleep)(fault.delayMs ?? ctx.defaultSlowDelayMs);
  }
  const res = route.handle(ctx, auth, id, body);
  if (call) recordCall(ctx, { call, terminalId: auth.terminalId, status: res.status });
  return res;
}
