/**
 * Simulator test switches: GET lists the armed faults, POST {kind, delayMs?, count?, terminal_id?}
 * arms one (scoped to that simulated terminal's calls when terminal_id is given), DELETE clears
 * them all, or with `?terminal_id=` that terminal's only; GET takes the same filter. 404 unless the simulator is enabled; POST and DELETE refuse other
 * sites' requests and POST needs a JSON body (lib/simulator/http.ts, refuseCrossSite).
 */
import { handleFaultsDelete, handleFaultsGet, handleFaultsPost } from "@/lib/simulator/http";
import { getSimulator, simulatorNotFound } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  return handleFaultsGet(sim, request);
}

export async function POST(request: Request) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  return handleFaultsPost(sim, request);
}

export async function DELETE(request: Request) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  return handleFaultsDelete(sim, request);
}
