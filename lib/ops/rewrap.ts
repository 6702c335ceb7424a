/**
 * Vault key rotation (`npm run vault -- status | rewrap`), after HashiCorp Vault's versioned keys
 * and rewrap: the first key of VAULT_KEY seals new secrets, the others still open old ones, and
 * a rewrap moves every secret sealed by another key onto the first one.
 *
 * The rewrap works in small transactions (BEGIN IMMEDIATE, `batchSize` secrets each), so a
 * running server waits at most one batch, and a kill loses at most the uncommitted batch —
 * whose secrets are still sealed with their old key, which the keyring still holds: nothing is
 * ever unreadable, and running it again carries on where it stopped. Each secret is opened with
 * its old key, sealed with the first key under the same associated data (its pairing and
 * field), and that new ciphertext is opened and compared before it replaces the old one (only if
 * the row still holds the old one: the server may have unpaired it meanwhile). Recovery spool
 * records are re-sealed the same way, each file replaced atomically. The whole run is one audit
 * entry with its counts.
 *
 * A secret sealed with a key id the keyring lacks stops the rewrap before anything changes.
 */
import { databaseSql, type OpsSql } from "./sql";
import { and, asc, eq, gt, ne } from "drizzle-orm";
import fs from "node:fs";
import path from "node:path";
import { writeAudit } from "../audit/audit";
import type { DB } from "../db/open";
import { changedRows } from "../db/query";
import { pairingSecrets } from "../db/schema";
import type { VaultKey } from "../env";
import { recoveryRecordSchema, scanSpoolFolder, type RecoveryRecord } from "../pairing/recovery-record";
import { open, seal, VaultError, type Sealed } from "../pairing/vault";
import { fsyncDir, fsyncFile, OperatorError } from "./database";
import { checkSecretsOpen, secretRowContext, secretsByKey, sealedOf, spoolByKey, spoolContext, type KeyCount } from "./secrets";

export type VaultStatus = {
  activeKeyId: string;
  keyIds: string[];
  secrets: KeyCount[];
  total: number;
  spool: { byKey: KeyCount[]; records: number; unreadable: number };
  /** Secrets and spool records not sealed with the first key. */
  toRewrap: number;
  /** Key ids that seal something but are not in the keyring. */
  missing: string[];
  /** Key ids in the keyring whose stored secrets do not open with it (another key under that id). */
  wrongKey: string[];
};

export async function vaultStatus(sql: OpsSql, keys: VaultKey[], spoolDir: string): Promise<VaultStatus> {
  const secrets = await secretsByKey(sql, keys);
  const spool = spoolByKey(spoolDir, keys);
  const all = [...secrets, ...spool.byKey];
  return {
    activeKeyId: keys[0]!.id,
    keyIds: keys.map((k) => k.id),
    secrets,
    total: secrets.reduce((n, k) => n + k.count, 0),
    spool,
    toRewrap: all.filter((k) => !k.active).reduce((n, k) => n + k.count, 0),
    missing: [...new Set(all.filter((k) => !k.configured).map((k) => k.keyId))].sort(),
    wrongKey: (await checkSecretsOpen(sql, keys)).wrongKey,
  };
}

export type RewrapOptions = {
  spoolDir: string;
  batchSize?: number;
  /** Called after each committed batch with the running total. */
  onBatch?: (rewrapped: number) => void;
  /**
   * Tests only: called with the number of secrets re-sealed so far in this run, inside the open
   * transaction, after each secret (the command's test hook stalls there to be killed).
   */
  afterSecret?: (rewrappedInRun: number) => void;
};

export type RewrapResult = {
  toKeyId: string;
  /** Secrets moved, by the key id they were sealed with. */
  moved: Record<string, number>;
  rewrapped: number;
  /** Rows unpaired (or re-sealed) by someone else between read and write: left alone. */
  changedMeanwhile: number;
  /** Secrets that did not open with their key (altered?): left as they are. */
  unreadable: { id: number; pairingId: number; field: string; keyId: string }[];
  batches: number;
  spoolRewrapped: number;
  spoolUnreadable: string[];
  audited: boolean;
};

class MissingKeyError extends OperatorError {
  constructor(readonly keyIds: string[], status: VaultStatus) {
    const what = keyIds
      .map((id) => {
        const n = (status.secrets.find((k) => k.keyId === id)?.count ?? 0) + (status.spool.byKey.find((k) => k.keyId === id)?.count ?? 0);
        return `${id} (${n} secret${n === 1 ? "" : "s"})`;
      })
      .join(", ");
    super(
      `Nothing was changed: secrets are sealed with ${keyIds.length === 1 ? "a key" : "keys"} that VAULT_KEY does not hold: ${what}. Add ${keyIds.length === 1 ? "it" : "them"} to the keyring after the new key (VAULT_KEY=${status.activeKeyId}:<base64>,…,${keyIds[0]}:<base64>) and run the rewrap again.`,
    );
    this.name = "MissingKeyError";
  }
}

/** Seals again with the first key, and proves the new ciphertext opens to the same plaintext. */
function reseal(old: Sealed, context: string, keys: VaultKey[]): Sealed {
  const plaintext = open(old, context, keys);
  const sealed = seal(plaintext, context, keys);
  if (sealed.keyId !== keys[0]!.id || open(sealed, context, keys) !== plaintext) {
    throw new Error("A re-sealed secret did not open to the same value: stopping before it replaces the old one.");
  }
  return sealed;
}

export async function rewrapVault(db: DB, keys: VaultKey[], options: RewrapOptions): Promise<RewrapResult> {
  const active = keys[0];
  if (!active) throw new OperatorError("VAULT_KEY holds no key.");
  const status = await vaultStatus(databaseSql(db), keys, options.spoolDir);
  if (status.missing.length > 0) throw new MissingKeyError(status.missing, status);
  if (status.wrongKey.length > 0) {
    throw new OperatorError(
      `Nothing was changed: VAULT_KEY's ${status.wrongKey.join(", ")} ${status.wrongKey.length === 1 ? "is not the key" : "are not the keys"} that sealed the secrets stored under ${status.wrongKey.length === 1 ? "that id" : "those ids"}: they do not open. Put the right key in the keyring and run the rewrap again.`,
    );
  }

  const batchSize = options.batchSize ?? 100;
  const result: RewrapResult = {
    toKeyId: active.id,
    moved: {},
    rewrapped: 0,
    changedMeanwhile: 0,
    unreadable: [],
    batches: 0,
    spoolRewrapped: 0,
    spoolUnreadable: [],
    audited: false,
  };
  type Batch = { rows: number; lastId: number; rewrapped: number; moved: Record<string, number>; changedMeanwhile: number; unreadable: RewrapResult["unreadable"] };
  // One batch, one transaction. Its counts are merged only once it committed: a batch that
  // throws is rolled back, and one that Postgres runs again (a serialization conflict) counts once.
  const batch = (afterId: number) =>
    db.transaction(
      async (tx): Promise<Batch> => {
        const b: Batch = { rows: 0, lastId: afterId, rewrapped: 0, moved: {}, changedMeanwhile: 0, unreadable: [] };
        const rows = await tx
          .select()
          .from(pairingSecrets)
          .where(and(ne(pairingSecrets.keyId, active.id), gt(pairingSecrets.id, afterId)))
          .orderBy(asc(pairingSecrets.id))
          .limit(batchSize);
        b.rows = rows.length;
        for (const row of rows) {
          b.lastId = row.id;
          const old = { id: row.id, pairing_id: row.pairingId, field: row.field, key_id: row.keyId, nonce: row.nonce, ciphertext: row.ciphertext };
          let sealed: Sealed;
          try {
            sealed = reseal(sealedOf(old), secretRowContext(old), keys);
          } catch (err) {
            if (!(err instanceof VaultError)) throw err;
            b.unreadable.push({ id: row.id, pairingId: row.pairingId, field: row.field, keyId: row.keyId });
            continue;
          }
          const changed = changedRows(
            await tx
              .update(pairingSecrets)
              .set({ keyId: sealed.keyId, nonce: sealed.nonce, ciphertext: sealed.ciphertext })
              .where(
                and(
                  eq(pairingSecrets.id, row.id),
                  eq(pairingSecrets.keyId, row.keyId),
                  eq(pairingSecrets.nonce, row.nonce),
                  eq(pairingSecrets.ciphertext, row.ciphertext),
                ),
              ),
          );
          if (changed === 1) {
            b.rewrapped++;
            b.moved[row.keyId] = (b.moved[row.keyId] ?? 0) + 1;
            options.afterSecret?.(result.rewrapped + b.rewrapped);
          } else {
            b.changedMeanwhile++;
          }
        }
        return b;
      },
      { behavior: "immediate" },
    );
  for (let afterId = 0; ; ) {
    const b = await batch(afterId);
    if (b.rows === 0) break;
    afterId = b.lastId;
    result.rewrapped += b.rewrapped;
    result.changedMeanwhile += b.changedMeanwhile;
    result.unreadable.push(...b.unreadable);
    for (const [id, n] of Object.entries(b.moved)) result.moved[id] = (result.moved[id] ?? 0) + n;
    result.batches++;
    options.onBatch?.(result.rewrapped);
  }

  for (const { file, record } of scanSpoolFolder(options.spoolDir).records) {
    if (record.sealed.keyId === active.id) continue;
    const old: Sealed = {
      keyId: record.sealed.keyId,
      nonce: Buffer.from(record.sealed.nonce, "base64"),
      ciphertext: Buffer.from(record.sealed.ciphertext, "base64"),
    };
    let sealed: Sealed;
    try {
      sealed = reseal(old, spoolContext(record.attemptId), keys);
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;
      result.spoolUnreadable.push(path.basename(file));
      continue;
    }
    if (replaceSpoolRecord(file, { ...record, sealed: { keyId: sealed.keyId, nonce: sealed.nonce.toString("base64"), ciphertext: sealed.ciphertext.toString("base64") } })) {
      result.spoolRewrapped++;
    }
  }

  if (result.rewrapped + result.spoolRewrapped > 0 || result.unreadable.length + result.spoolUnreadable.length > 0) {
    await writeAudit(db, {
      actor: null,
      action: "vault.rewrap",
      merchantId: null,
      details: {
        by: "operator (npm run vault -- rewrap)",
        toKey: active.id,
        fromKeys: Object.entries(result.moved).map(([id, n]) => `${id}: ${n}`).join(", ") || null,
        rewrapped: result.rewrapped,
        spoolRewrapped: result.spoolRewrapped,
        unreadable: result.unreadable.length + result.spoolUnreadable.length,
        changedMeanwhile: result.changedMeanwhile,
        batches: result.batches,
      },
    });
    result.audited = true;
  }
  return result;
}

/**
 * Replaces a spool file with the same record re-sealed: a temporary file, fsynced, renamed over
 * it (atomic: a reader sees the old record or the new one, both open with the keyring). A file
 * the server removed meanwhile (its pairing completed) is not brought back.
 */
function replaceSpoolRecord(file: string, record: RecoveryRecord): boolean {
  recoveryRecordSchema.parse(record);
  if (!fs.existsSync(file)) return false;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.rewrap-${path.basename(file)}-${process.pid}.tmp`);
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(record));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (!fs.existsSync(file)) {
    fs.rmSync(tmp, { force: true });
    return false;
  }
  fs.renameSync(tmp, file);
  fsyncFile(file);
  fsyncDir(dir);
  return true;
}
