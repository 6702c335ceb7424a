/**
 * The vault: AES-256-GCM with a fresh 96-bit nonce per secret, the key id kept with each
 * ciphertext, and associated data that binds each ciphertext to the row and field it belongs to.
 * A tampered ciphertext, a wrong key or a ciphertext copied to another row raises VaultError.
 *
 * Pure functions over explicit keys (so tests can use their own); `vaultKeys()` gives the
 * configured keyring.
 */
import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getEnv, type VaultKey } from "../env";

export type Sealed = { keyId: string; nonce: Buffer; ciphertext: Buffer };

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VaultError";
  }
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The associated data that ties a ciphertext to where it is stored. */
export function secretContext(table: string, rowId: number | string, field: string): string {
  return `pairdesk/v1/${table}/${rowId}/${field}`;
}

export function vaultKeys(): VaultKey[] {
  return getEnv().vaultKeys;
}

export function seal(plaintext: string, context: string, keys: VaultKey[] = vaultKeys()): Sealed {
  const active = keys[0];
  if (!active) throw new VaultError("The vault has no key.");
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", active.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { keyId: active.id, nonce, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

export function open(sealed: Sealed, context: string, keys: VaultKey[] = vaultKeys()): string {
  const key = keys.find((k) => k.id === sealed.keyId);
  if (!key) {
    throw new VaultError(
      `The vault key "${sealed.keyId}" that sealed this secret is not configured in VAULT_KEY.`,
    );
  }
  if (sealed.nonce.length !== NONCE_BYTES || sealed.ciphertext.length < TAG_BYTES) {
    throw new VaultError("A vault entry is malformed.");
  }
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
  const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, sealed.nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new VaultError(
      "A vault entry failed its integrity check: it was altered, moved to another row, or sealed with a different key.",
    );
  }
}
