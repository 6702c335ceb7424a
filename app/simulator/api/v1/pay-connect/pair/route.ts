/** Simulated Pay-Connect: POST /v1/pay-connect/pair/ (404 unless the simulator is enabled). */
import { handlePairRequest } from "@/lib/simulator/http";
import { withSimulator } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export const POST = withSimulator((sim, request) => handlePairRequest(sim, request));
