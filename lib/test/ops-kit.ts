/**
 * For the operator commands' tests: run a command's `main` in this process (the tests' way) or
 * as an operator would (a real child process: one smoke test per command), and fill a database
 * with pairings whose secrets are sealed with chosen keys.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import type Database from "better-sqlite3";
import type { VaultKey } from "../env";
import { seal, secretContext } from "../pairing/vault";

export type CommandResult = { code: number | null; out: string; err: string };

type Main = (argv: string[], io: { out(line: string): void; err(line: string): void; env?: Record<string, string | undefined>; stdin?: NodeJS.ReadableStream }) => Promise<number>;

/**
 * A command's `main(argv, io)` in this process, with `env` over this process's environment (an
 * undefined value unsets a setting) and `stdin` on its standard input. Collects its output as the
 * process would print it; an unexpected error is exit code 1 with the error on standard error,
 * as when it runs as a process.
 */
export async function runMain(main: Main, args: string[], env: Record<string, string | undefined> = {}, stdin = ""): Promise<CommandResult> {
  let out = "";
  let err = "";
  const io = {
    out: (line: string) => void (out += `${line}\n`),
    err: (line: string) => void (err += `${line}\n`),
    env: { ...process.env, ...env },
    stdin: Readable.from(stdin ? [Buffer.from(stdin)] : []),
  };
  let code: number;
  try {
    code = await main(args, io);
  } catch (e) {
    err += `${(e as Error)?.stack ?? String(e)}\n`;
    code = 1;
  }
  return { code, out, err };
}

/** The npm scripts of package.json that run the operator commands. */
type OperatorCommand = "backup" | "restore" | "recover" | "merchant" | "user" | "vault" | "db";

/**
 * `npm run <name> -- …` itself, as an operator runs it: the package.json script (tsx, with the
 * server-side condition where it uses it) in a child process. One smoke test per command.
 */
export function spawnCommand(script: OperatorCommand, args: string[], env: Record<string, string | undefined>, stdin = ""): CommandResult {
  const r = spawnSync("npm", ["run", "--silent", script, "--", ...args], {
    env: { ...process.env, npm_config_update_notifier: "false", ...env },
    encoding: "utf8",
    input: stdin,
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * The same, started in the background to be killed: one node process running the script (the
 * tsx command would run it in a child of its own, which a kill of tsx would leave running).
 */
export function startCommand(script: "backup" | "restore" | "vault", args: string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", `scripts/ops/${script}.ts`, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves once `child`'s standard output contains `text` (with everything read so far). */
export function waitForOutput(child: ChildProcess, text: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs);
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (!out.includes(text)) reject(new Error(`exited (${code}) before "${text}":\n${out}\n${err}`));
    });
  });
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

/** A random key in VAULT_KEY's format, and the keyring text of several. */
export function newKey(id: string): VaultKey & { b64: string } {
  const key = randomBytes(32);
  return { id, key, b64: key.toString("base64") };
}
export function keyringText(...keys: (VaultKey & { b64: string })[]): string {
  return keys.map((k) => `${k.id}:${k.b64}`).join(",");
}

export type SeededPairing = { pairingId: number; clientId: string; clientSecret: string; webhookSecretKey: string | null };

/**
 * `count` active pairings (and their terminals, one creator), each with a client secret and,
 * for every other one, a webhook secret key, sealed with `keys` (its first key) under the same
 * associated data lib/pairing/persist.ts uses.
 */
export function seedSealedPairings(sqlite: Database.Database, count: number, keys: VaultKey[], prefix = "T-OPS"): SeededPairing[] {
  const creator =
    (sqlite.prepare("select id from users where email = 'ops-seed@example.com'").get() as { id: number } | undefined)?.id ??
    Number(
      sqlite
        .prepare("insert into users (email, name, password_hash, role) values ('ops-seed@example.com', '', 'x', 'support')")
        .run().lastInsertRowid,
    );
  const merchant =
    (sqlite.prepare("select id from merchants where name = 'Ops seed merchant'").get() as { id: number } | undefined)?.id ??
    Number(sqlite.prepare("insert into merchants (name) values ('Ops seed merchant')").run().lastInsertRowid);
  const out: SeededPairing[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const terminal = Number(
        sqlite
          .prepare("insert into terminals (merchant_id, environment, terminal_id) values (?, 'sandbox', ?)")
          .run(merchant, `${prefix}-${i}-${randomBytes(3).toString("hex")}`)
          .lastInsertRowid,
      );
      const clientId = `client-${i}-${randomBytes(4).toString("hex")}`;
      const clientSecret = `cs_${randomBytes(18).toString("base64url")}`;
      const webhookSecretKey = i % 2 === 0 ? `whsec_${randomBytes(18).toString("base64url")}` : null;
      const pairingId = Number(
        sqlite
          .prepare(
            "insert into pairings (merchant_id, terminal_ref, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id) values (?, ?, ?, ?, ?, ?, 'active', ?)",
          )
          .run(merchant, terminal, `pc-${i}`, `Till ${i}`, clientId, webhookSecretKey ? 1 : 0, creator).lastInsertRowid,
      );
      const insert = sqlite.prepare("insert into pairing_secrets (pairing_id, field, key_id, nonce, ciphertext) values (?, ?, ?, ?, ?)");
      for (const [field, value] of [["client_secret", clientSecret], ["webhook_secret_key", webhookSecretKey]] as const) {
        if (value === null) continue;
        const s = seal(value, secretContext("pairings", pairingId, field), keys);
        insert.run(pairingId, field, s.keyId, s.nonce, s.ciphertext);
      }
      out.push({ pairingId, clientId, clientSecret, webhookSecretKey });
    }
  })();
  return out;
}

/** key_id → number of stored secrets. */
export function secretsPerKey(sqlite: Database.Database): Record<string, number> {
  const rows = sqlite.prepare("select key_id, count(*) as n from pairing_secrets group by key_id").all() as { key_id: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.key_id, r.n]));
}

/**
 * A process that keeps `file` open as the server does (WAL, one connection for its life) and, if
 * asked, writes in a loop: each transaction adds terminal `W-<n>` and an audit row whose
 * details are `<n>`. Prints "ready" once it holds the database (and has written, if writing).
 */
export function startDatabaseHolder(file: string, options: { write?: boolean } = {}): ChildProcess {
  const source = `
    const Database = require(${JSON.stringify(path.resolve("node_modules/better-sqlite3"))});
    const db = new Database(${JSON.stringify(file)});
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    db.pragma("synchronous = NORMAL");
    db.prepare("select count(*) from users").get();
    if (!${options.write ? "true" : "false"}) { process.stdout.write("ready\\n"); setInterval(() => {}, 1000); }
    else {
      const merchant = db.prepare("insert into merchants (name) values ('Holder merchant') on conflict do nothing").run();
      const merchantId = db.prepare("select id from merchants where name = 'Holder merchant'").get().id;
      const terminal = db.prepare("insert into terminals (merchant_id, environment, terminal_id) values (" + merchantId + ", 'production', ?)");
      const audit = db.prepare("insert into audit_log (action, details) values ('list.export', ?)");
      let n = 0;
      const write = db.transaction(() => { n++; terminal.run("W-" + n); audit.run(String(n)); });
      const loop = () => { for (let i = 0; i < 10; i++) write(); if (n === 10) process.stdout.write("ready\\n"); setImmediate(loop); };
      loop();
    }`;
  return spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "pipe"] });
}
