/**
 * POST {move: "approve" | "decline" | "cancel"} (JSON, same-origin only): the person at the
 * simulated terminal answers an open payment (lib/simulator/screen-http.ts). 404 unless enabled.
 */
import { handleScreenPaymentMove } from "@/lib/simulator/screen-http";
import { getSimulator, simulatorNotFound } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ terminalId: string; transactionId: string }> }) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  const { terminalId, transactionId } = await params;
  return handleScreenPaymentMove(sim, request, terminalId, transactionId);
}
