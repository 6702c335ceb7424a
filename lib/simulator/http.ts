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
 *   GET /faults, POST /faults {kind, delayMs?, count?}, DELETE /faults   handleFaults*
 *   GET /terminals, POST /terminals {label?}                            handleTerminals*
 *   POST /terminals/{terminalId}/otp → {otp, expires_at}                handleOtpRequest
 */
import { defaultSleep, type SimulatorContext } from "./context";
import { clearFaults, faultInputSchema, listFaults, setFault, takeFault, type Fault, type ProviderCall } from "./faults";
import { issueToken, pair, unpair, type ProviderRequest, type ProviderResponse } from "./provider";
import { createTerminal, generateOtp, getTerminal, listTerminals } from "./terminals";

const NO_STORE = { "Cache-Control": "no-store" };

function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

async function readBody(request: Request): Promise<string> {
  try {
    return await request.text();
  } catch {
    return "";
  }
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
  const req: ProviderRequest = { headers: request.headers, body: await readBody(request) };
  const fault = takeFault(ctx, call);
  if (fault?.kind.endsWith("_500")) return json(500, { detail: "Simulated server error" });
  if (fault?.kind.endsWith("_slow")) await (ctx.sleep ?? defaultSleep)(fault.delayMs ?? ctx.defaultSlowDelayMs);
  const res = handle(req, fault);
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
  return { id: f.id, kind: f.kind, remaining: f.remaining, delay_ms: f.delayMs };
}

export function handleFaultsGet(ctx: SimulatorContext): Response {
  return json(200, { faults: listFaults(ctx).map(faultJson) });
}

export async function handleFaultsPost(ctx: SimulatorContext, request: Request): Promise<Response> {
  const refused = refuseCrossSite(ctx, request, { json: true });
  if (refused) return refused;
  let body: unknown;
  try {
    body = JSON.parse(await readBody(request));
  } catch {
    return json(400, { detail: "Invalid JSON body" });
  }
  const parsed = faultInputSchema.safeParse(body);
  if (!parsed.success) {
    return json(400, { detail: "Invalid fault", issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
  }
  const fault = setFault(ctx, parsed.data);
  return json(201, { fault: faultJson(fault), faults: listFaults(ctx).map(faultJson) });
}

/** DELETE has no body, so no Content-Type to check: only the Origin. */
export function handleFaultsDelete(ctx: SimulatorContext, request: Request): Response {
  const refused = refuseCrossSite(ctx, request, { json: false });
  if (refused) return refused;
  clearFaults(ctx);
  return json(200, { faults: [] });
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
