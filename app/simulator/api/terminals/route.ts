/**
 * Simulated terminals: GET lists them with their pairings (no secrets, no OTPs), POST {label?}
 * adds one (a JSON body, same-origin only). 404 unless the simulator is enabled.
 */
import { handleTerminalsGet, handleTerminalsPost } from "@/lib/simulator/http";
import { withSimulator } from "@/lib/simulator/server";

export const dynamic = "force-dynamic";

export const GET = withSimulator((sim) => handleTerminalsGet(sim));

export const POST = withSimulator((sim, request) => handleTerminalsPost(sim, request));
