/**
 * POST (JSON, same-origin only) generates an OTP on a simulated terminal →
 * {otp, terminal_id, expires_at}. 404 unless enabled.
 */
import { handleOtpRequest } from "@/lib/simulator/http";
import { getSimulator, simulatorNotFound } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ terminalId: string }> }) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  const { terminalId } = await params;
  return handleOtpRequest(sim, request, terminalId);
}
