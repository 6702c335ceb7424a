/**
 * GET / PUT {auto_approve?, payment_expiry_seconds?} (JSON, same-origin only): a simulated
 * terminal's switches (lib/simulator/screen-http.ts). 404 unless enabled.
 */
import { handleScreenSettingsGet, handleScreenSettingsPut } from "@/lib/simulator/screen-http";
import { getSimulator, simulatorNotFound } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ terminalId: string }> }) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  return handleScreenSettingsGet(sim, (await params).terminalId);
}

export async function PUT(request: Request, { params }: { params: Promise<{ terminalId: string }> }) {
  const sim = getSimulator();
  if (!sim) return simulatorNotFound();
  return handleScreenSettingsPut(sim, request, (await params).terminalId);
}
