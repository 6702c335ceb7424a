/**
 * GET the provider calls (pair, token, unpair) that concerned a simulated terminal, newest
 * first → {calls: [{call, status, at}]}; no secret, OTP or token in them. 404 unless enabled.
 */
import { handleCallsGet } from "@/lib/simulator/http";
import { withSimulator } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export const GET = withSimulator<{ terminalId: string }>(async (sim, _request, params) => {
  const { terminalId } = params;
  return handleCallsGet(sim, terminalId);
});
