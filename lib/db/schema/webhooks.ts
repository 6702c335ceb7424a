// The webhook inbox: each delivery, stored raw with its verdict (lib/webhooks/).
import { sql } from "drizzle-orm";
import { blob, check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { DELIVERY_VERDICTS } from "../../domain";
import { now, quoted } from "./columns";
import { merchants } from "./merchants";
import { pairings } from "./pairing";

/**
 * Each HTTP request to the webhook endpoint, stored raw with its verdict before it is answered.
 * Rejected ones are capped and pruned (lib/webhooks/inbox.ts); accepted ones are kept.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull().default(now),
    pairingId: integer("pairing_id").references(() => pairings.id),
    /** The pairing's merchant (null for an unknown token): who may read the delivery. */
    merchantId: integer("merchant_id").references(() => merchants.id),
    verdict: text("verdict", { enum: DELIVERY_VERDICTS }).notNull(),
    httpStatus: integer("http_status").notNull(),
    /** The request body's size in bytes as received (or as declared, when too large to read). */
    sizeBytes: integer("size_bytes").notNull(),
    /** The raw body (a rejected one may be cut, see bodyTruncated); null when it was not read. */
    body: blob("body", { mode: "buffer" }),
    bodyTruncated: integer("body_truncated", { mode: "boolean" }).notNull().default(false),
    /** Which form of the body the signature matched: "raw" or "sorted" (null unless verified). */
    signatureForm: text("signature_form"),
    /** A plain reason for a rejection or a processing failure. */
    reason: text("reason"),
    /** When the accepted body was applied, and how many observations it held. */
    processedAt: integer("processed_at", { mode: "timestamp_ms" }),
    eventCount: integer("event_count"),
    processError: text("process_error"),
    /** Applied, but something in it was refused (a final transaction's amount or currency): why. */
    conflict: text("conflict"),
    reprocessedAt: integer("reprocessed_at", { mode: "timestamp_ms" }),
    reprocessCount: integer("reprocess_count").notNull().default(0),
  },
  (t) => [
    index("webhook_deliveries_received_idx").on(t.receivedAt, t.id),
    index("webhook_deliveries_merchant_received_idx").on(t.merchantId, t.receivedAt, t.id),
    index("webhook_deliveries_verdict_received_idx").on(t.verdict, t.receivedAt),
    index("webhook_deliveries_pairing_received_idx").on(t.pairingId, t.receivedAt),
    check("webhook_deliveries_verdict_check", sql.raw(`"verdict" in (${quoted(DELIVERY_VERDICTS)})`)),
  ],
);
