/** Pay-Connect webhooks, one URL per pairing: lib/webhooks/receive.ts. No session: the signature is the proof. */
import { getDb } from "@/lib/db/client";
import { webhookFormat } from "@/lib/providers";
import { receiveWebhook } from "@/lib/webhooks/receive";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return receiveWebhook(getDb(), webhookFormat(), request, token);
}
