/**
 * Operators' vault key rotation:
 *
 *   npm run vault -- status              how many secrets each key id seals; which key seals new ones
 *   npm run vault -- rewrap [--batch N]  re-seals every secret not sealed with VAULT_KEY's first key
 *
 * Uses DATABASE_PATH, RECOVERY_DIR and VAULT_KEY as the server does (the keyring
 * `new:<base64>,old:<base64>`: the first key seals, the others still open). The rewrap runs
 * beside a running server, in transactions of N secrets (default 100); after a crash, run it
 * again: it carries on. See docs/operations.md, "Rotating the vault key".
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { openDatabase } from "../../lib/db/open";
import { databaseTargetFrom } from "../../lib/db/default-path";
import path from "node:path";
import { OperatorError } from "../../lib/ops/database";
import { databaseSql, hasTable } from "../../lib/ops/sql";
import { commandPaths } from "../../lib/ops/paths";
import { commandVaultKeys, describeKeyring } from "../../lib/ops/keyring";
import { rewrapVault, vaultStatus, type VaultStatus } from "../../lib/ops/rewrap";
import { runIfEntryPoint, type CommandIO } from "./command";

const USAGE =
  "usage: npm run vault -- status\n" +
  "       npm run vault -- rewrap [--batch N]\n" +
  "  status: secrets per key id; rewrap: re-seals every secret with the first key of VAULT_KEY";

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function printStatus(io: CommandIO, s: VaultStatus): void {
  io.out(`Secrets in the database: ${plural(s.total, "secret")}.`);
  for (const k of s.secrets) {
    const note = !k.configured
      ? "  NOT IN VAULT_KEY: cannot be read"
      : s.wrongKey.includes(k.keyId)
        ? `  DO NOT OPEN: VAULT_KEY's ${k.keyId} is not the key that sealed them`
        : k.active
          ? "  (the first key: seals new secrets)"
          : "";
    io.out(`  ${k.keyId.padEnd(12)} ${String(k.count).padStart(8)}${note}`);
  }
  if (s.spool.records + s.spool.unreadable > 0) {
    io.out(`Recovery spool: ${plural(s.spool.records, "sealed record")}${s.spool.unreadable ? `, ${plural(s.spool.unreadable, "unreadable file")}` : ""}.`);
    for (const k of s.spool.byKey) {
      io.out(`  ${k.keyId.padEnd(12)} ${String(k.count).padStart(8)}${k.configured ? "" : "  NOT IN VAULT_KEY: cannot be read"}`);
    }
  }
  const keyIdsInUse = new Set([...s.secrets, ...s.spool.byKey].map((k) => k.keyId));
  const unused = s.keyIds.slice(1).filter((id) => !keyIdsInUse.has(id));
  if (s.missing.length > 0) {
    io.out(`Missing from VAULT_KEY: ${s.missing.join(", ")}. Add ${s.missing.length === 1 ? "it" : "them"} to the keyring, or those secrets stay unreadable.`);
  }
  if (s.toRewrap > 0) {
    io.out(`Next: \`npm run vault -- rewrap\` re-seals ${plural(s.toRewrap, "secret")} with ${s.activeKeyId}.`);
  } else {
    io.out(`Every secret is sealed with ${s.activeKeyId}.`);
  }
  if (unused.length > 0) {
    io.out(
      `${unused.join(", ")} seal${unused.length === 1 ? "s" : ""} nothing in this database: ${unused.length === 1 ? "it" : "they"} may leave VAULT_KEY once no backup or server log you may still need is sealed with ${unused.length === 1 ? "it" : "them"} (keep a copy with those backups).`,
    );
  }
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { batch: { type: "string" } } });
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if ((command !== "status" && command !== "rewrap") || rest.length > 0) {
    io.err(command ? `Unknown command "${parsed.positionals.join(" ")}".\n${USAGE}` : USAGE);
    return 2;
  }
  const batch = parsed.values.batch === undefined ? 100 : Number(parsed.values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) {
    io.err(`--batch must be a whole number from 1 to 10000.\n${USAGE}`);
    return 2;
  }

  const env = io.env ?? process.env;
  const { databasePath, recoveryDir } = commandPaths(env);
  try {
    const keyring = commandVaultKeys(databasePath, env);
    const target = databaseTargetFrom(env, path.resolve);
    if (target === databasePath && !fs.existsSync(databasePath)) throw new OperatorError(`No database at ${databasePath}: set DATABASE_PATH (or DATABASE_URL) to the server's database.`);
    // No migrations from here: the server applies them; this command must not change the schema under it.
    const db = openDatabase(target, { migrate: false });
    try {
      if (!(await hasTable(databaseSql(db), "pairing_secrets"))) throw new OperatorError(`${target === databasePath ? databasePath : "DATABASE_URL's database"} is not a Pairdesk database (no pairing_secrets table).`);
      io.out(`Vault keyring (${keyring.source}): ${describeKeyring(keyring.keys)}.`);
      if (command === "status") {
        printStatus(io, await vaultStatus(databaseSql(db), keyring.keys, recoveryDir));
        return 0;
      }
      const stallAfter = env.PAIRDESK_MODE === "test" ? Number(env.PAIRDESK_TEST_REWRAP_STALL_AFTER ?? 0) : 0;
      const r = await rewrapVault(db, keyring.keys, {
          spoolDir: recoveryDir,
          batchSize: batch,
          onBatch: (n) => io.out(`  ${plural(n, "secret")} re-sealed so far`),
          afterSecret: stallAfter
              ? (n) => {
                  if (n < stallAfter) return;
                  // Tests only: stop here, inside an open transaction, to be killed.
                  io.out(`STALLED after ${n} secrets`);
                  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
              }
              : undefined,
      });
      const from = Object.entries(r.moved).map(([id, n]) => `${n} from ${id}`).join(", ");
      io.out(
        r.rewrapped + r.spoolRewrapped === 0
          ? `Nothing to re-seal: every readable secret is sealed with ${r.toKeyId}.`
          : `Re-sealed ${plural(r.rewrapped, "secret")} with ${r.toKeyId}${from ? ` (${from})` : ""} in ${plural(r.batches, "transaction")}${r.spoolRewrapped ? `, and ${plural(r.spoolRewrapped, "recovery spool record")}` : ""}. Each was opened again with ${r.toKeyId} before its old ciphertext was replaced.`,
      );
      if (r.changedMeanwhile > 0) io.out(`  ${plural(r.changedMeanwhile, "secret")} changed meanwhile (unpaired or re-sealed by the server) and ${r.changedMeanwhile === 1 ? "was" : "were"} left alone.`);
      if (r.audited) io.out("  Recorded in the audit log (\"Vault secrets moved to the new key\").");
      for (const u of r.unreadable) {
        io.err(`  Secret #${u.id} (pairing ${u.pairingId}, ${u.field}, sealed with ${u.keyId}) does not open: altered or damaged. Left as it is.`);
      }
      for (const f of r.spoolUnreadable) io.err(`  Recovery spool record ${f} does not open: left as it is.`);
      io.out("");
      printStatus(io, await vaultStatus(databaseSql(db), keyring.keys, recoveryDir));
      return r.unreadable.length + r.spoolUnreadable.length > 0 ? 1 : 0;
    } finally {
      db.close();
    }
  } catch (err) {
    if (err instanceof OperatorError) {
      io.err(err.message);
      return 1;
    }
    throw err;
  }
}

runIfEntryPoint(import.meta.url, main);
