import { describe, expect, it } from "vitest";
import { hmacHex, parseWebhookBody, sortedCompact, sortedPython, verifyWebhookSignature } from "./webhook";

const SECRET = "whsec_0123456789abcdefghijklmnop";
const value = [{ status: "SUCCESS", id: "tx-1", amount: 1250, currency: "EUR", note: "café" }];
const raw = JSON.stringify(value);
const headers = (signature?: string) => new Headers(signature === undefined ? {} : { Signature: signature });

describe("verifyWebhookSignature", () => {
  it("accepts the hex HMAC-SHA256 of the raw body", () => {
    expect(verifyWebhookSignature(headers(hmacHex(SECRET, raw)), Buffer.from(raw), SECRET)).toEqual({ ok: true, form: "raw" });
    expect(verifyWebhookSignature(headers(hmacHex(SECRET, raw).toUpperCase()), Buffer.from(raw), SECRET)).toEqual({ ok: true, form: "raw" });
    expect(verifyWebhookSignature(headers(`sha256=${hmacHex(SECRET, raw)}`), Buffer.from(raw), SECRET)).toEqual({ ok: true, form: "raw" });
  });

  it("accepts the sorted-keys serialisation, compact or as Python writes it", () => {
    expect(sortedCompact(value)).toBe('[{"amount":1250,"currency":"EUR","id":"tx-1","note":"café","status":"SUCCESS"}]');
    expect(sortedPython(value)).toBe('[{"amount": 1250, "currency": "EUR", "id": "tx-1", "note": "caf\\u00e9", "status": "SUCCESS"}]');
    for (const form of [sortedCompact(value), sortedPython(value)]) {
      expect(verifyWebhookSignature(headers(hmacHex(SECRET, form)), Buffer.from(raw), SECRET)).toEqual({ ok: true, form: "sorted" });
    }
  });

  it("refuses a wrong key, a changed body, a truncated or non-hex signature, none, and a pairing without a secret", () => {
    const good = hmacHex(SECRET, raw);
    expect(verifyWebhookSignature(headers(hmacHex("another-key", raw)), Buffer.from(raw), SECRET)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature(headers(good), Buffer.from(raw.replace("1250", "1251")), SECRET)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature(headers(good.slice(0, 63)), Buffer.from(raw), SECRET)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyWebhookSignature(headers(`${good.slice(0, 63)}z`), Buffer.from(raw), SECRET)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyWebhookSignature(headers(), Buffer.from(raw), SECRET)).toEqual({ ok: false, reason: "missing" });
    expect(verifyWebhookSignature(headers(good), Buffer.from(raw), null)).toEqual({ ok: false, reason: "no_secret" });
    expect(verifyWebhookSignature(headers(hmacHex(SECRET, "not json")), Buffer.from("not json!"), SECRET)).toEqual({ ok: false, reason: "mismatch" });
  });
});

describe("parseWebhookBody", () => {
  it("reads an array or a single object, lenient on optional fields, and keeps only a card's last four digits", () => {
    const one = { id: "tx-2", status: "IN_PROGRESS", amount: 500, card_number: "**** **** **** 4242", extra: { nested: true }, tip_amount: null, tags: "not-a-list" };
    const parsed = parseWebhookBody(Buffer.from(JSON.stringify(one)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.transactions).toHaveLength(1);
    expect(parsed.transactions[0]).toMatchObject({ transactionId: "tx-2", status: "IN_PROGRESS", amount: 500, tipAmount: null, tags: [] });
    expect(parsed.transactions[0]!.details).toEqual({ card_last4: "4242" });
    expect(JSON.stringify(parsed.transactions)).not.toContain("****");
    const many = parseWebhookBody(Buffer.from(JSON.stringify([one, { ...one, id: "tx-3" }])));
    expect(many.ok && many.transactions.map((t) => t.transactionId)).toEqual(["tx-2", "tx-3"]);
  });

  it("is strict on id, status and amounts, and says which field", () => {
    const bad = (body: unknown) => parseWebhookBody(Buffer.from(JSON.stringify(body)));
    expect(bad([{ id: "x", status: "SUCCESS", amount: "12.50" }])).toMatchObject({ ok: false, reason: expect.stringContaining("0.amount") });
    expect(bad([{ id: "x", status: "SUCCESS", amount: 12.5 }])).toMatchObject({ ok: false, reason: expect.stringContaining("amount") });
    expect(bad([{ id: "x", status: "PAID", amount: 1 }])).toMatchObject({ ok: false, reason: expect.stringContaining("status") });
    expect(bad([{ status: "SUCCESS", amount: 1 }])).toMatchObject({ ok: false, reason: expect.stringContaining("id") });
    expect(bad([])).toMatchObject({ ok: false });
    expect(parseWebhookBody(Buffer.from("not json"))).toEqual({ ok: false, reason: "The body is not JSON." });
    expect(parseWebhookBody(Buffer.from([0xff, 0xfe, 0x7b]))).toEqual({ ok: false, reason: "The body is not UTF-8 text." });
  });
});
