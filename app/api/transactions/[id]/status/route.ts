/** A transaction's status and timeline, for its page's self-update. Scoped; another merchant's is 404. */
import { withAccess } from "@/lib/auth/route";
import { notFound } from "@/lib/errors";
import { queryTransactionStatus } from "@/lib/transactions/queries";

export const dynamic = "force-dynamic";

export const GET = withAccess<{ params: Promise<{ id: string }> }>("transactions:read", async (_request, { ctx }, { params }) => {
  const ref = Number((await params).id);
  const view = Number.isSafeInteger(ref) && ref > 0 ? await queryTransactionStatus(ctx, ref) : null;
  if (!view) throw notFound("Not found.");
  return Response.json(view, { headers: { "Cache-Control": "no-store" } });
});
