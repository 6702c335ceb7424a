/**
 * GET / PUT {auto_approve?, payment_expiry_seconds?} (JSON, same-origin only): a simulated
 * terminal's switches (lib/simulator/screen-http.ts). 404 unless enabled.
 */
import { handleScreenSettingsGet, handleScreenSettingsPut } from "@/lib/simulator/screen-http";
import { withSimulator } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export const GET = withSimulator<{ terminalId: string }>((sim, _request, params) => handleScreenSettingsGet(sim, params.terminalId));

export const PUT = withSimulator<{ terminalId: string }>((sim, request, params) => handleScreenSettingsPut(sim, request, params.terminalId));
