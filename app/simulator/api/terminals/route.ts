/**
 * Simulated terminals: GET lists them with their pairings (no secrets, no OTPs), POST {label?}
 * adds one (a JSON body, same-origin only). 404 unless the simulator is enabled.
 */
import { handleTerminalsGet, handleTerminalsPost } from "@/lib/simulator/http";
import { getSimulator, simulatorNotFound } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export async function GET() {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  return handleTerminalsGet(sim);
}

export async function POST(request: Request) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  return handleTerminalsPost(sim, request);
}
