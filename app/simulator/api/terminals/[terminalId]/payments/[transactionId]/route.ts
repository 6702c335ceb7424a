/**
 * POST {move: "approve" | "decline" | "cancel"} (JSON, same-origin only): the person at the
 * simulated terminal answers an open payment (lib/simulator/screen-http.ts). 404 unless enabled.
 */
import { handleScreenPaymentMove } from "@/lib/simulator/screen-http";
import { withSimulator } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export const POST = withSimulator<{ terminalId: string; transactionId: string }>(async (sim, request, params) => {
  const { terminalId, transactionId } = params;
  return handleScreenPaymentMove(sim, request, terminalId, transactionId);
});
