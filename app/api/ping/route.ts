/**
 * A no-op: reads the request body and answers 200. No session, no database. `npm run
 * bench:webhooks` loads it beside the webhook endpoint, to tell what the endpoint costs over the
 * server's own floor. It holds nothing and says nothing.
 */
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  await request.arrayBuffer().catch(() => undefined);
  return new Response("{}", { status: 200, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}

export function GET() {
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
}
