import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal, secretContext, VaultError } from "./vault";

const key = (id: string) => ({ id, key: randomBytes(32) });

describe("vault", () => {
  const k1 = key("k1");
  const ctx = secretContext("pairings", 7, "client_secret");

  it("round-trips a secret and never stores it in plaintext", () => {
    const sealed = seal("s3cr3t-value-ÄÖ", ctx, [k1]);
    expect(sealed.keyId).toBe("k1");
    expect(sealed.nonce).toHaveLength(12);
    expect(sealed.ciphertext.includes(Buffer.from("s3cr3t-value"))).toBe(false);
    expect(open(sealed, ctx, [k1])).toBe("s3cr3t-value-ÄÖ");
  });

  it("uses a fresh nonce for every secret", () => {
    const a = seal("same", ctx, [k1]);
    const b = seal("same", ctx, [k1]);
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it("rejects a tampered ciphertext, nonce or tag", () => {
    const sealed = seal("value", ctx, [k1]);
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0]! ^= 1;
    expect(() => open({ ...sealed, ciphertext: flipped }, ctx, [k1])).toThrow(VaultError);
    const tag = Buffer.from(sealed.ciphertext);
    tag[tag.length - 1]! ^= 1;
    expect(() => open({ ...sealed, ciphertext: tag }, ctx, [k1])).toThrow(VaultError);
    const nonce = Buffer.from(sealed.nonce);
    nonce[0]! ^= 1;
    expect(() => open({ ...sealed, nonce }, ctx, [k1])).toThrow(VaultError);
  });

  it("rejects the wrong key, even under the same key id", () => {
    const sealed = seal("value", ctx, [k1]);
    expect(() => open(sealed, ctx, [{ id: "k1", key: randomBytes(32) }])).toThrow(/integrity check/);
  });

  it("names a missing key id", () => {
    const sealed = seal("value", ctx, [k1]);
    expect(() => open(sealed, ctx, [key("k2")])).toThrow(/"k1".*not configured/);
  });

  it("rejects a ciphertext copied to another row or field", () => {
    const sealed = seal("value", ctx, [k1]);
    expect(() => open(sealed, secretContext("pairings", 8, "client_secret"), [k1])).toThrow(VaultError);
    expect(() => open(sealed, secretContext("pairings", 7, "webhook_secret_key"), [k1])).toThrow(VaultError);
  });

  it("decrypts with an older key of the keyring after rotation", () => {
    const old = seal("value", ctx, [k1]);
    const k2 = key("k2");
    const rotated = [k2, k1];
    expect(open(old, ctx, rotated)).toBe("value");
    expect(seal("new", ctx, rotated).keyId).toBe("k2");
  });

  it("rejects a truncated entry", () => {
    const sealed = seal("value", ctx, [k1]);
    expect(() => open({ ...sealed, ciphertext: sealed.ciphertext.subarray(0, 10) }, ctx, [k1])).toThrow(VaultError);
  });
});
