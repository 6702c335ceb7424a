import { AuthError } from "@/lib/auth";
import { getDashboard } from "@/lib/data/dashboard";

export const dynamic = "force-dynamic";

/** The dashboard's live figures, for its periodic refresh. Checks the session itself. */
export async function GET() {
  try {
    const data = await getDashboard();
    return Response.json(data, { headers: { "Cache-Control": "no-store" } });
  } catch (err) {
    if (err instanceof AuthError) return Response.json({ error: err.message }, { status: err.status });
    throw err;
  }
}
