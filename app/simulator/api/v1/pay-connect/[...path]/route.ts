/** Simulated Pay-Connect transaction calls (404 unless the simulator is enabled): lib/simulator/payments-http.ts. */
import { handlePaymentRequest } from "@/lib/simulator/payments-http";
import { withSimulator } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

const handle = withSimulator<{ path: string[] }>((sim, request, { path }) => {
  const trailing = new URL(request.url).pathname.endsWith("/") ? "/" : "";
  return handlePaymentRequest(sim, request, `${path.map(encodeURIComponent).join("/")}${trailing}`);
});

export const GET = handle;
export const POST = handle;
export const PATCH = handle;
