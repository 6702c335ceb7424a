/** GET: the simulated terminal's payments, newest first (lib/simulator/screen-http.ts). 404 unless enabled. */
import { handleScreenPaymentsGet } from "@/lib/simulator/screen-http";
import { getSimulator, simulatorNotFound } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ terminalId: string }> }) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  return handleScreenPaymentsGet(sim, (await params).terminalId);
}
