/**
 * The simulator's HTTP surface, as Request → Response functions the route handlers under
 * app/simulator/api/ call once they have checked that the simulator is enabled.
 *
 * Pay-Connect-shaped (base URL http://<host>/simulator/api):
 *   POST /v1/pay-connect/pair/     handlePairRequest
 *   POST /v1/auth/token/           handleTokenRequest
 *   POST /v1/pay-connect/unpair/   handleUnpairRequest
 * Test driving (no sign-in: each request that changes state must be same-origin JSON, see
 * refuseCrossSite):
 *   GET /faults[?terminal_id=], POST /faults {kind, delayMs?, count?, terminal_id?},
 *   DELETE /faults[?terminal_id=]                                       handleFaults*
 *   GET /terminals, POST /terminals {label?}                            handleTerminals*
 *   POST /terminals/{terminalId}/otp → {otp, expires_at}                handleOtpRequest
 *   GET /terminals/{terminalId}/calls → {calls: [{call, status, at}]}   handleCallsGet
 *     (the provider calls that concerned the terminal, newest first; no secret in them)
 * Every request body is read up to MAX_BODY_BYTES; a larger one gets 413 (readBody).
 */
import { listCalls, recordCall } from "./calls";
import { defaultSleep, type SimulatorContext } from "./context";
import {
  clearFaults,
  faultInputSchema,
  listFaults,
  setFault,
  takeFault,
  UnknownSimulatedTerminalError,
  type Fault,
  type ProviderCall,
} from "./faults";
import { issueToken, pair, terminalOfCall, unpair, type ProviderRequest, type ProviderResponse } from "./provider";
import { createTerminal, generateOtp, getTerminal, listTerminals, TERMINAL_ID_PATTERN } from "./terminals";

const NO_STORE = { "Cache-Control": "no-store" };

function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

/** The largest request body the simulator reads (every endpoint's bodies are tiny JSON). */
export const MAX_BODY_BYTES = 64 * 1024;

function bodyTooLarge(): Response {
  return json(413, {
    detail: `Request body too large: the simulator accepts at most ${MAX_BODY_BYTES} bytes (${MAX_BODY_BYTES / 1024} KiB).`,
  });
}

/**
 * The request's body as text, read chunk by chunk and given up (the stream cancelled) as soon as
 * it passes `limit` bytes, so an oversized body is never held in memory; a Content-Length over
 * the limit is refused before reading anything. `null` when too large. An unreadable body (the
 * client went away) reads as empty, as before.
 */
export async function readBody(request: Request, limit = MAX_BODY_BYTES): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
  } catch {
    return "";
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Runs one provider call with its fault, if one is armed. The body is read before any delay:
 * a client that gives up does not stop the simulated provider from finishing the work.
 */
async function providerCall(
  ctx: SimulatorContext,
  call: ProviderCall,
  request: Request,
  handle: (req: ProviderRequest, fault: Fault | null) => ProviderResponse,
): Promise<Response> {
  const body = await readBody(request);
  if (body === null) {
    recordCall(ctx, { call, terminalId: null, status: 413 });
    return bodyTooLarge();
  }
  const req: ProviderRequest = { headers: request.headers, body };
  // Determined before the call is handled: an unpair deletes the token that names the terminal.
  const terminalId = terminalOfCall(ctx, call, req);
  const fault = takeFault(ctx, call, terminalId);
  if (fault?.kind.endsWith("_500")) {
    recordCall(ctx, { call, terminalId, status: 500 });
    return json(500, { detail: "Simulated server error" });
  }
  if (fault?.kind.endsWith("_slow")) await (ctx.sleep ?? defaultSleep)(fault.delayMs ?? ctx.defaultSlowDelayMs);
  const res = handle(req, fault);
  recordCall(ctx, { call, terminalId, status: res.status });
  return json(res.status, res.body);
}

export function handlePairRequest(ctx: SimulatorContext, request: Request): Promise<Response> {
  return providerCall(ctx, "pair", request, (req, fault) =>
    pair(ctx, req, { omitClientSecret: fault?.kind === "pair_malformed" }),
  );
}

export function handleTokenRequest(ctx: SimulatorContext, request: Request): Promise<Response> {
  return providerCall(ctx, "token", request, (req) => issueToken(ctx, req));
}

export function handleUnpairRequest(ctx: SimulatorContext, request: Request): Promise<Response> {
  return providerCall(ctx, "unpair", request, (req) => unpair(ctx, req));
}

// ---------------------------------------------------------------------------------------------
// Test driving

/**
 * The test-driving endpoints change state and have no sign-in, so another site's page must not
 * drive them through a visitor's browser. Such a page can only send "simple" requests without a
 * CORS preflight (which the simulator never grants): form-encoded, multipart or text bodies. So
 * a POST must say `Content-Type: application/json`; and when the browser names the `Origin`, it
 * must be this server's own (the request's origin, or PUBLIC_URL's). Null when allowed.
 */
export function refuseCrossSite(
  ctx: SimulatorContext,
  request: Request,
  { json: needsJson }: { json: boolean },
): Response | null {
  const origin = request.headers.get("origin");
  if (origin !== null) {
    const allowed = new Set([new URL(request.url).origin]);
    if (ctx.publicOrigin) allowed.add(ctx.publicOrigin);
    if (!allowed.has(origin)) return json(403, { detail: "Cross-origin requests to the simulator are refused" });
  }
  if (needsJson) {
    const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      return json(415, { detail: "Send the request with Content-Type: application/json" });
    }
  }
  return null;
}

function faultJson(f: Fault) {
  return { id: f.id, kind: f.kind, remaining: f.remaining, delay_ms: f.delayMs, terminal_id: f.terminalId };
}

/**
 * The `?terminal_id=` of a faults request: undefined when absent (all faults), the id when it
 * is a simulated terminal id, or a 400 answer.
 */
function terminalParam(request: Request): { ok: true; terminalId: string | undefined } | { ok: false; response: Response } {
  const value = new URL(request.url).searchParams.get("terminal_id");
  if (value === null) return { ok: true, terminalId: undefined };
  if (!TERMINAL_ID_PATTERN.test(value)) {
    return { ok: false, response: json(400, { detail: "terminal_id must be a simulated terminal id like SIM-AB12CD34" }) };
  }
  return { ok: true, terminalId: value };
}

/** GET /faults: every armed fault, or with `?terminal_id=` those scoped to that terminal. */
export function handleFaultsGet(ctx: SimulatorContext, request?: Request): Response {
  const param = request ? terminalParam(request) : { ok: true as const, terminalId: undefined };
  if (!param.ok) return param.response;
  return json(200, { faults: listFaults(ctx, param.terminalId).map(faultJson) });
}

export async function handleFaultsPost(ctx: SimulatorContext, request: Request): Promise<Response> {
  const refused = refuseCrossSite(ctx, request, { json: true });
  if (refused) return refused;
  const text = await readBody(request);
  if (text === null) return bodyTooLarge();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return json(400, { detail: "Invalid JSON body" });
  }
  const parsed = faultInputSchema.safeParse(body);
  if (!parsed.success) {
    return json(400, { detail: "Invalid fault", issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
  }
  try {
    const fault = setFault(ctx, parsed.data);
    return json(201, { fault: faultJson(fault), faults: listFaults(ctx, fault.terminalId ?? undefined).map(faultJson) });
  } catch (err) {
    if (err instanceof UnknownSimulatedTerminalError) return json(404, { detail: err.message });
    throw err;
  }
}

/**
 * DELETE /faults clears every fault; with `?terminal_id=` only that terminal's (what a test
 * running beside others must use). No body, so no Content-Type to check: only the Origin.
 */
export function handleFaultsDelete(ctx: SimulatorContext, request: Request): Response {
  const refused = refuseCrossSite(ctx, request, { json: false });
  if (refused) return refused;
  const param = terminalParam(request);
  if (!param.ok) return param.response;
  clearFaults(ctx, param.terminalId);
  return json(200, { faults: listFaults(ctx, param.terminalId).map(faultJson) });
}

function terminalJson(t: ReturnType<typeof listTerminals>[number]) {
  return {
    terminal_id: t.terminalId,
    label: t.label,
    created_at: new Date(t.createdAt).toISOString(),
    pairings: t.pairings.map((p) => ({
      pay_connect_id: p.payConnectId,
      name: p.name,
      status: p.status,
      webhook_url: p.webhookUrl,
      created_at: new Date(p.createdAt).toISOString(),
      unpaired_at: p.unpairedAt === null ? null : new Date(p.unpairedAt).toISOString(),
      replaced_at: p.replacedAt === null ? null : new Date(p.replacedAt).toISOString(),
    })),
  };
}

export function handleTerminalsGet(ctx: SimulatorContext): Response {
  return json(200, { terminals: listTerminals(ctx).map(terminalJson) });
}

export async function handleTerminalsPost(ctx: SimulatorContext, request: Request): Promise<Response> {
  const refused = refuseCrossSite(ctx, request, { json: true });
  if (refused) return refused;
  const text = await readBody(request);
  if (text === null) return bodyTooLarge();
  let label: string | undefined;
  if (text.trim()) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json(400, { detail: "Invalid JSON body" });
    }
    const raw = (body as { label?: unknown } | null)?.label;
    if (raw !== undefined && typeof raw !== "string") return json(400, { detail: "label must be a string" });
    label = raw;
  }
  const created = createTerminal(ctx, { label });
  return json(201, terminalJson({ ...created, pairings: [] }));
}

export function handleOtpRequest(ctx: SimulatorContext, request: Request, terminalId: string): Response {
  const refused = refuseCrossSite(ctx, request, { json: true });
  if (refused) return refused;
  if (!getTerminal(ctx, terminalId)) return json(404, { detail: "No such simulated terminal" });
  const otp = generateOtp(ctx, terminalId)!;
  return json(201, {
    otp: otp.otp,
    terminal_id: otp.terminalId,
    expires_at: new Date(otp.expiresAt).toISOString(),
  });
}

/**
 * GET /terminals/{terminalId}/calls: the provider calls that concerned the terminal, newest
 * first (`at` in milliseconds since the epoch). Reads only, like GET /terminals.
 */
export function handleCallsGet(ctx: SimulatorContext, terminalId: string): Response {
  if (!TERMINAL_ID_PATTERN.test(terminalId)) {
    return json(400, { detail: "terminal_id must be a simulated terminal id like SIM-AB12CD34" });
  }
  if (!getTerminal(ctx, terminalId)) return json(404, { detail: "No such simulated terminal" });
  return json(200, {
    calls: listCalls(ctx, terminalId).map((c) => ({ call: c.call, status: c.status, at: c.at })),
  });
}
