import { serverHealth } from "@/lib/ops/health-server";

export const dynamic = "force-dynamic";

/**
 * Health for operators, load balancers and the test runner: unauthenticated, 200 when every
 * check is ok or needs attention, 503 when one is broken (lib/ops/health.ts says what each means).
 */
export async function GET() {
  const health = await serverHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
