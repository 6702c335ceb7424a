/**
 * GET the provider calls (pair, token, unpair) that concerned a simulated terminal, newest
 * first → {calls: [{call, status, at}]}; no secret, OTP or token in them. 404 unless enabled.
 */
import { handleCallsGet } from "@/lib/simulator/http";
import { getSimulator, simulatorNotFound } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ terminalId: string }> }) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  const { terminalId } = await params;
  return handleCallsGet(sim, terminalId);
}
