import { withAccess } from "@/lib/auth/route";
import { queryDashboard } from "@/lib/dashboard/queries";
import { loadMerchantView } from "@/lib/lists/lists";

export const dynamic = "force-dynamic";

/**
 * The dashboard's live figures, for its periodic refresh. Checks the session itself; scoped like
 * the page (`?merchant=` narrows staff; a merchant's people get their own merchant).
 */
export const GET = withAccess(
  "terminals:read",
  async (_request, { ctx }) => Response.json(await queryDashboard(ctx), { headers: { "Cache-Control": "no-store" } }),
  { view: loadMerchantView },
);
