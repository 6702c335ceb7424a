/**
 * Test driving for payments: what a person at a simulated terminal's screen does, over HTTP, so
 * that tests (and anyone scripting a demo) need not click the screen. Base /simulator/api:
 *   GET  /terminals/{terminalId}/payments                 the screen's payments, newest first
 *   POST /terminals/{terminalId}/payments/{transactionId} {move: "approve" | "decline" | "cancel"}
 *   GET  /terminals/{terminalId}/settings                 {auto_approve, payment_expiry_seconds}
 *   PUT  /terminals/{terminalId}/settings                 {auto_approve?, payment_expiry_seconds?}
 * Like the other test-driving endpoints (./http.ts), a request that changes state must be
 * same-origin JSON. A move on a payment that is already final answers 409 with its status.
 */
import { z } from "zod";
import type { SimulatorContext } from "./context";
import { readBody, refuseCrossSite } from "./http";
import {
  getTransaction,
  isFinalSim,
  terminalTransactions,
  transactionObject,
  type SimTransaction,
} from "./payment-rows";
import { expireOverdue, moveTransaction } from "./payments";
import { MIN_PAYMENT_EXPIRY_MS, setTerminalSettings, terminalSettings } from "./terminal-settings";
import { getTerminal, TERMINAL_ID_PATTERN } from "./terminals";

const NO_STORE = { "Cache-Control": "no-store" };
const json = (status: number, body: unknown) => Response.json(body, { status, headers: NO_STORE });
const detail = (status: number, text: string) => json(status, { detail: text });

const MOVES = { approve: "SUCCESS", decline: "DECLINED", cancel: "CANCELED" } as const;

const moveSchema = z.object({ move: z.enum(["approve", "decline", "cancel"]) }).strict();
const settingsSchema = z
  .object({
    auto_approve: z.boolean().optional(),
    /** null goes back to the server's default (SIMULATOR_PAYMENT_EXPIRY_SECONDS). */
    payment_expiry_seconds: z.number().int().min(MIN_PAYMENT_EXPIRY_MS / 1000).max(86_400).nullable().optional(),
  })
  .strict();

function terminalOr404(ctx: SimulatorContext, terminalId: string): Response | null {
  if (!TERMINAL_ID_PATTERN.test(terminalId)) return detail(400, "terminal_id must be a simulated terminal id like SIM-AB12CD34");
  if (!getTerminal(ctx, terminalId)) return detail(404, "No such simulated terminal");
  return null;
}

async function jsonBody<S extends z.ZodType>(ctx: SimulatorContext, request: Request, schema: S): Promise<z.output<S> | Response> {
  const refused = refuseCrossSite(ctx, request, { json: true });
  if (refused) return refused;
  const text = await readBody(request);
  if (text === null) return detail(413, "Request body too large");
  let raw: unknown;
  try {
    raw = JSON.parse(text || "{}");
  } catch {
    return detail(400, "The body is not JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return detail(400, `Invalid request: ${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return parsed.data as z.output<S>;
}

function paymentJson(t: SimTransaction) {
  return { ...transactionObject(t), kind: t.kind, expires_at: t.expires_at === null ? null : new Date(t.expires_at).toISOString() };
}

function settingsJson(ctx: SimulatorContext, terminalId: string) {
  const s = terminalSettings(ctx, terminalId);
  return { terminal_id: terminalId, auto_approve: s.autoApprove, payment_expiry_seconds: Math.round(s.paymentExpiryMs / 1000) };
}

export function handleScreenPaymentsGet(ctx: SimulatorContext, terminalId: string): Response {
  const missing = terminalOr404(ctx, terminalId);
  if (missing) return missing;
  expireOverdue(ctx);
  return json(200, { payments: terminalTransactions(ctx, terminalId, 50).map(paymentJson) });
}

export async function handleScreenPaymentMove(ctx: SimulatorContext, request: Request, terminalId: string, transactionId: string): Promise<Response> {
  const missing = terminalOr404(ctx, terminalId);
  if (missing) return missing;
  const body = await jsonBody(ctx, request, moveSchema);
  if (body instanceof Response) return body;
  expireOverdue(ctx);
  const t = getTransaction(ctx, transactionId);
  if (!t || t.terminal_id !== terminalId) return detail(404, "No such payment on this terminal");
  if (isFinalSim(t.status)) return json(409, { detail: `The payment is already ${t.status}`, status: t.status });
  const moved = moveTransaction(ctx, t.transaction_id, MOVES[body.move]);
  if (!moved) return json(409, { detail: "The payment cannot make that move now", status: getTransaction(ctx, transactionId)?.status });
  return json(200, { payment: paymentJson(moved) });
}

export function handleScreenSettingsGet(ctx: SimulatorContext, terminalId: string): Response {
  const missing = terminalOr404(ctx, terminalId);
  if (missing) return missing;
  return json(200, settingsJson(ctx, terminalId));
}

export async function handleScreenSettingsPut(ctx: SimulatorContext, request: Request, terminalId: string): Promise<Response> {
  const missing = terminalOr404(ctx, terminalId);
  if (missing) return missing;
  const body = await jsonBody(ctx, request, settingsSchema);
  if (body instanceof Response) return body;
  setTerminalSettings(ctx, terminalId, {
    autoApprove: body.auto_approve,
    paymentExpiryMs: body.payment_expiry_seconds === undefined ? undefined : body.payment_expiry_seconds === null ? null : body.payment_expiry_seconds * 1000,
  });
  return json(200, settingsJson(ctx, terminalId));
}
