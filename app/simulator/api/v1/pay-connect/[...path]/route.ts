/** Simulated Pay-Connect transaction calls (404 unless the simulator is enabled): lib/simulator/payments-http.ts. */
import { handlePaymentRequest } from "@/lib/simulator/payments-http";
import { getSimulator, simulatorNotFound } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

async function handle(request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  const { path } = await params;
  const trailing = new URL(request.url).pathname.endsWith("/") ? "/" : "";
  return handlePaymentRequest(sim, request, `${path.map(encodeURIComponent).join("/")}${trailing}`);
}

export const GET = handle;
export const POST = handle;
export const PATCH = handle;
