/** Simulated Pay-Connect: POST /v1/auth/token/ (404 unless the simulator is enabled). */
import { handleTokenRequest } from "@/lib/simulator/http";
import { withSimulator } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export const POST = withSimulator((sim, request) => handleTokenRequest(sim, request));
