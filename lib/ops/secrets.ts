/**
 * The vault's secrets as the operator tools see them: the rows of `pairing_secrets` (each bound
 * to its pairing and field by the AES-GCM associated data) and the sealed results in the
 * recovery spool (bound to their attempt), counted by the key id that sealed them, and opened
 * only to check or re-seal them — the plaintext never leaves the function that opened it.
 */
import type { VaultKey } from "../env";
import type { OpsSql } from "./sql";
import { scanSpoolFolder } from "../pairing/recovery-record";
import { open, secretContext, VaultError, type Sealed } from "../pairing/vault";

export type SecretRow = { id: number; pairing_id: number; field: string; key_id: string; nonce: Buffer; ciphertext: Buffer };

export function secretRowContext(row: Pick<SecretRow, "pairing_id" | "field">): string {
  return secretContext("pairings", row.pairing_id, row.field);
}

/** The associated data of a spooled pair result (as lib/pairing/recovery.ts seals it). */
export function spoolContext(attemptId: number): string {
  return secretContext("recovery", attemptId, "pair_result");
}

export function sealedOf(row: Pick<SecretRow, "key_id" | "nonce" | "ciphertext">): Sealed {
  return { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext };
}

export type KeyCount = { keyId: string; count: number; configured: boolean; active: boolean };

function withKeys(counts: Map<string, number>, keys: VaultKey[]): KeyCount[] {
  return [...counts.entries()]
    .map(([keyId, count]) => ({
      keyId,
      count,
      configured: keys.some((k) => k.id === keyId),
      active: keys[0]?.id === keyId,
    }))
    .sort((a, b) => Number(b.active) - Number(a.active) || a.keyId.localeCompare(b.keyId));
}

/** How many stored secrets each key id seals. */
export async function secretsByKey(sql: OpsSql, keys: VaultKey[]): Promise<KeyCount[]> {
  const rows = await sql.all<{ key_id: string; n: number }>("select key_id, count(*) as n from pairing_secrets group by key_id");
  return withKeys(new Map(rows.map((r) => [r.key_id, Number(r.n)])), keys);
}

/** How many readable records of the recovery spool each key id seals, and how many files cannot be read. */
export function spoolByKey(dir: string, keys: VaultKey[]): { byKey: KeyCount[]; records: number; unreadable: number } {
  const { records, unreadable } = scanSpoolFolder(dir);
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.record.sealed.keyId, (counts.get(r.record.sealed.keyId) ?? 0) + 1);
  return { byKey: withKeys(counts, keys), records: records.length, unreadable: unreadable.length };
}

/** Whether this stored secret opens with the keyring (its plaintext is dropped at once). */
function secretOpens(row: SecretRow, keys: VaultKey[]): boolean {
  try {
    open(sealedOf(row), secretRowContext(row), keys);
    return true;
  } catch (err) {
    if (err instanceof VaultError) return false;
    throw err;
  }
}

/** Up to `limit` secrets sealed with `keyId`, oldest first. */
function secretsSealedWith(sql: OpsSql, keyId: string, limit: number): Promise<SecretRow[]> {
  return sql.all<SecretRow>("select id, pairing_id, field, key_id, nonce, ciphertext from pairing_secrets where key_id = ? order by id limit ?", [keyId, limit]);
}

export type OpenCheck = {
  /** Secrets per key id. */
  byKey: KeyCount[];
  total: number;
  /** Key ids, present in the keyring, of which a secret opened. */
  opened: string[];
  /** Key ids present in the keyring whose secrets did not open (another key under the same id). */
  wrongKey: string[];
  /** Key ids the keyring lacks. */
  missing: string[];
};

/** Tries a few secrets of each key id the database holds against the keyring. */
export async function checkSecretsOpen(sql: OpsSql, keys: VaultKey[], perKey = 3): Promise<OpenCheck> {
  const byKey = await secretsByKey(sql, keys);
  const opened: string[] = [];
  const wrongKey: string[] = [];
  const missing: string[] = [];
  for (const k of byKey) {
    if (!k.configured) {
      missing.push(k.keyId);
      continue;
    }
    if ((await secretsSealedWith(sql, k.keyId, perKey)).some((row) => secretOpens(row, keys))) opened.push(k.keyId);
    else wrongKey.push(k.keyId);
  }
  return { byKey, total: byKey.reduce((n, k) => n + k.count, 0), opened, wrongKey, missing };
}

/** "k1 (40 secrets; VAULT_KEY has a k1, but not the key that sealed them), k0 (3 secrets; not in VAULT_KEY)". */
export function describeUnopened(check: OpenCheck): string {
  const count = (id: string) => {
    const n = check.byKey.find((k) => k.keyId === id)?.count ?? 0;
    return `${n} secret${n === 1 ? "" : "s"}`;
  };
  return [
    ...check.wrongKey.map((id) => `${id} (${count(id)}; VAULT_KEY has a key named ${id}, but not the one that sealed them)`),
    ...check.missing.map((id) => `${id} (${count(id)}; not in VAULT_KEY)`),
  ].join(", ");
}
