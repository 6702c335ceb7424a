/**
 * POST (JSON, same-origin only) generates an OTP on a simulated terminal →
 * {otp, terminal_id, expires_at}. 404 unless enabled.
 */
import { handleOtpRequest } from "@/lib/simulator/http";
import { withSimulator } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export const POST = withSimulator<{ terminalId: string }>(async (sim, request, params) => {
  const { terminalId } = params;
  return handleOtpRequest(sim, request, terminalId);
});
