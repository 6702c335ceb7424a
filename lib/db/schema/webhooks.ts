// The webhook inbox: each delivery, stored raw with its verdict (lib/webhooks/).
import { sql } from "drizzle-orm";
import { DELIVERY_VERDICTS } from "../../domain";
import { type Column, type Kit, quoted } from "./kit";
import type { Schema } from "./build";

export function webhookTables(k: Kit, s: () => Schema) {
  /**
   * Each HTTP request to the webhook endpoint, stored raw with its verdict before it is answered.
   * Rejected ones are capped and pruned (lib/webhooks/inbox.ts); accepted ones are kept.
   */
  const webhookDeliveries = k.table(
    "webhook_deliveries",
    {
      id: k.id(),
      receivedAt: k.time("received_at").notNull().default(k.now),
      pairingId: k.int("pairing_id").references((): Column => s().pairings.id),
      /** The pairing's merchant (null for an unknown token): who may read the delivery. */
      merchantId: k.int("merchant_id").references((): Column => s().merchants.id),
      verdict: k.text("verdict", { enum: DELIVERY_VERDICTS }).notNull(),
      httpStatus: k.int("http_status").notNull(),
      /** The request body's size in bytes as received (or as declared, when too large to read). */
      sizeBytes: k.int("size_bytes").notNull(),
      /** The raw body (a rejected one may be cut, see bodyTruncated); null when it was not read. */
      body: k.bytes("body"),
      bodyTruncated: k.flag("body_truncated").notNull().default(false),
      /** Which form of the body the signature matched: "raw" or "sorted" (null unless verified). */
      signatureForm: k.text("signature_form"),
      /** A plain reason for a rejection or a processing failure. */
      reason: k.text("reason"),
      /** When the accepted body was applied, and how many observations it held. */
      processedAt: k.time("processed_at"),
      eventCount: k.int("event_count"),
      processError: k.text("process_error"),
      /** Applied, but something in it was refused (a final transaction's amount or currency): why. */
      conflict: k.text("conflict"),
      reprocessedAt: k.time("reprocessed_at"),
      reprocessCount: k.int("reprocess_count").notNull().default(0),
    },
    (t) => [
      k.index("webhook_deliveries_received_idx").on(t.receivedAt, t.id),
      k.index("webhook_deliveries_merchant_received_idx").on(t.merchantId, t.receivedAt, t.id),
      k.index("webhook_deliveries_verdict_received_idx").on(t.verdict, t.receivedAt),
      k.index("webhook_deliveries_pairing_received_idx").on(t.pairingId, t.receivedAt),
      k.check("webhook_deliveries_verdict_check", sql.raw(`"verdict" in (${quoted(DELIVERY_VERDICTS)})`)),
    ],
  );
  return { webhookDeliveries };
}
