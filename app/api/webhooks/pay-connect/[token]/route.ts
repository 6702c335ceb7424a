/** Pay-Connect webhooks, one URL per pairing: lib/webhooks/receive.ts. No session: the signature is the proof. */
import { handleWebhookRequest } from "@/lib/webhooks/receive";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return handleWebhookRequest(request, token);
}
