import { AuthError } from "@/lib/auth/auth";
import { access } from "@/lib/auth/access";
import { queryDashboard } from "@/lib/dashboard/queries";
import { loadMerchantView } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

/**
 * The dashboard's live figures, for its periodic refresh. Checks the session itself; scoped like
 * the page (`?merchant=` narrows staff; a merchant's people get their own merchant).
 */
export async function GET(request: Request) {
  try {
    const { ctx } = await access("terminals:read", loadMerchantView(request));
    const data = queryDashboard(ctx);
    return Response.json(data, { headers: { "Cache-Control": "no-store" } });
  } catch (err) {
    if (err instanceof AuthError) return Response.json({ error: err.message }, { status: err.status });
    throw err;
  }
}
