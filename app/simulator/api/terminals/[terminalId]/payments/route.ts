/** GET: the simulated terminal's payments, newest first (lib/simulator/screen-http.ts). 404 unless enabled. */
import { handleScreenPaymentsGet } from "@/lib/simulator/screen-http";
import { withSimulator } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export const GET = withSimulator<{ terminalId: string }>((sim, _request, params) => handleScreenPaymentsGet(sim, params.terminalId));
