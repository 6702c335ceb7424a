/** Simulated Pay-Connect: POST /v1/auth/token/ (404 unless the simulator is enabled). */
import { handleTokenRequest } from "@/lib/simulator/http";
import { getSimulator, simulatorNotFound } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  return handleTokenRequest(sim, request);
}
