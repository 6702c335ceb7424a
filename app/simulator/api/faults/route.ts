/**
 * Simulator test switches: GET lists the armed faults, POST {kind, delayMs?, count?, terminal_id?}
 * arms one (scoped to that simulated terminal's calls when terminal_id is given), DELETE clears
 * them all, or with `?terminal_id=` that terminal's only; GET takes the same filter. 404 unless the simulator is enabled; POST and DELETE refuse other
 * sites' requests and POST needs a JSON body (lib/simulator/http.ts, refuseCrossSite).
 */
import { handleFaultsDelete, handleFaultsGet, handleFaultsPost } from "@/lib/simulator/http";
import { withSimulator } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export const GET = withSimulator((sim, request) => handleFaultsGet(sim, request));

export const POST = withSimulator((sim, request) => handleFaultsPost(sim, request));

export const DELETE = withSimulator((sim, request) => handleFaultsDelete(sim, request));
