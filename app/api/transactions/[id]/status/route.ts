/** A transaction's status and timeline, for its page's self-update. Scoped; another merchant's is 404. */
import { AuthError } from "@/lib/auth/auth";
import { access } from "@/lib/auth/access";
import { queryTransactionStatus } from "@/lib/transactions/queries";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  let granted;
  try {
    granted = await access("transactions:read");
  } catch (err) {
    if (err instanceof AuthError) return Response.json({ error: err.message }, { status: err.status, headers: { "Cache-Control": "no-store" } });
    throw err;
  }
  const { id } = await params;
  const ref = Number(id);
  const view = Number.isSafeInteger(ref) && ref > 0 ? queryTransactionStatus(granted.ctx, ref) : null;
  if (!view) return Response.json({ error: "Not found." }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return Response.json(view, { headers: { "Cache-Control": "no-store" } });
}
