/**
 * The vault keyring of an operator command: `VAULT_KEY` from the environment, as the server reads
 * it, else the key a demo or development start generated into `<data folder>/generated-secrets.json`.
 * Unlike the server, a command never generates a key: a fresh key would open nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { parseVaultKeys, type VaultKey } from "../env";
import { OperatorError } from "./database";

export type CommandKeyring = { keys: VaultKey[]; source: string };

export function commandVaultKeys(databasePath: string, env: Record<string, string | undefined> = process.env): CommandKeyring {
  const fromEnv = env.VAULT_KEY?.trim();
  if (fromEnv) return { keys: parse(fromEnv, "VAULT_KEY"), source: "VAULT_KEY" };
  const file = path.join(path.dirname(databasePath), "generated-secrets.json");
  let generated: string | undefined;
  try {
    generated = (JSON.parse(fs.readFileSync(file, "utf8")) as { VAULT_KEY?: string }).VAULT_KEY;
  } catch {
    generated = undefined;
  }
  if (generated) return { keys: parse(generated, `the VAULT_KEY generated into ${file}`), source: `the VAULT_KEY generated into ${file}` };
  throw new OperatorError(
    "VAULT_KEY is not set: run the command with the server's VAULT_KEY in the environment (the keyring, e.g. VAULT_KEY=k2:<base64>,k1:<base64>).",
  );
}

function parse(value: string, what: string): VaultKey[] {
  try {
    return parseVaultKeys(value);
  } catch (err) {
    throw new OperatorError(`${what} cannot be used: ${(err as Error).message}`);
  }
}

/** "k2 (encrypts new secrets), k1": ids only, never key material. */
export function describeKeyring(keys: VaultKey[]): string {
  return keys.map((k, i) => (i === 0 ? `${k.id} (encrypts new secrets)` : k.id)).join(", ");
}
