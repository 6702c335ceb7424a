/**
 * Configuration, validated once with zod. `getEnv()` is called at server start (instrumentation)
 * and by every module that needs a setting; it never runs at build time.
 *
 * Modes: `production` (a `next start`, unless told otherwise) refuses missing or weak secrets and
 * refuses the simulator, and needs an explicit https PUBLIC_URL; `demo` and `development`
 * generate what is missing into the data folder.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_DATABASE_PATH } from "./db/default-path";
import { isPostgresUrl } from "./db/engine";

const MODES = ["production", "demo", "development", "test"] as const;
type Mode = (typeof MODES)[number];

const onOff = z
  .enum(["on", "off", "true", "false", "1", "0", ""])
  .default("off")
  .transform((v) => v === "on" || v === "true" || v === "1");

const httpUrl = (name: string) =>
  z
    .string()
    .url(`${name} must be an absolute URL, e.g. https://example.com`)
    .refine((v) => /^https?:\/\//.test(v), `${name} must start with http:// or https://`)
    .transform((v) => v.replace(/\/+$/, ""));

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const rawSchema = z.object({
  PAIRDESK_MODE: z.enum(MODES).optional(),
  DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH),
  /**
   * Postgres instead of the SQLite file: postgres://user:password@host:port/database (TLS by its
   * sslmode). Never echoed back in an error: it holds a password.
   */
  DATABASE_URL: optionalText.refine((v) => v === undefined || isPostgresUrl(v), {
    error: "DATABASE_URL must be a postgres:// (or postgresql://) URL; leave it unset to use the SQLite file at DATABASE_PATH.",
  }),
  /** Postgres: the connections this instance keeps at most. */
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: "DATABASE_POOL_SIZE must be a whole number of connections from 1 to 200." })
    .int("DATABASE_POOL_SIZE must be a whole number of connections from 1 to 200.")
    .min(1, "DATABASE_POOL_SIZE must be a whole number of connections from 1 to 200.")
    .max(200, "DATABASE_POOL_SIZE must be a whole number of connections from 1 to 200.")
    .default(10),
  /** Postgres: how long one statement may run before it is cancelled. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number({ error: "DATABASE_STATEMENT_TIMEOUT_MS must be a number of milliseconds from 100 to 600000." })
    .int("DATABASE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000.")
    .min(100, "DATABASE_STATEMENT_TIMEOUT_MS must be a number of milliseconds from 100 to 600000.")
    .max(600_000, "DATABASE_STATEMENT_TIMEOUT_MS must be a number of milliseconds from 100 to 600000.")
    .default(30_000),
  /**
   * How long a write waits for another connection's write lock before it fails (SQLite's
   * busy_timeout). The process waits with it: better-sqlite3 is synchronous.
   */
  DATABASE_BUSY_TIMEOUT_MS: z.coerce
    .number({ error: "DATABASE_BUSY_TIMEOUT_MS must be a number of milliseconds from 100 to 600000." })
    .int("DATABASE_BUSY_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000.")
    .min(100, "DATABASE_BUSY_TIMEOUT_MS must be a number of milliseconds from 100 to 600000.")
    .max(600_000, "DATABASE_BUSY_TIMEOUT_MS must be a number of milliseconds from 100 to 600000.")
    .default(5_000),
  AUTH_SECRET: optionalText,
  VAULT_KEY: optionalText,
  /** Optional in the schema so a production start can tell "not set" from the default. */
  PUBLIC_URL: httpUrl("PUBLIC_URL").optional(),
  PAY_CONNECT_PRODUCTION_URL: httpUrl("PAY_CONNECT_PRODUCTION_URL").default(
    "https://api-payment.lab4pay.com",
  ),
  PAY_CONNECT_SANDBOX_URL: httpUrl("PAY_CONNECT_SANDBOX_URL").default(
    "https://api-payment.lab4pay.dev",
  ),
  PAY_CONNECT_INTEGRATOR_ID: optionalText,
  PAY_CONNECT_PRODUCTION_INTEGRATOR_ID: optionalText,
  PAY_CONNECT_SANDBOX_INTEGRATOR_ID: optionalText,
  PAY_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** The pair call's answer is the only copy of the credentials: it gets its own, longer wait. */
  PAY_CONNECT_PAIR_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(60_000),
  PAIRDESK_SIMULATOR: onOff,
  SIMULATOR_DATABASE_PATH: z.string().min(1).optional(),
  /** Multiplies the simulator's webhook retry schedule (5 s … 80 s): 0.01 makes it 50 ms … 800 ms. */
  SIMULATOR_WEBHOOK_RETRY_SCALE: z.coerce.number().min(0.001).max(10).default(1),
  /** How long an open payment waits at a simulated terminal before it expires. */
  SIMULATOR_PAYMENT_EXPIRY_SECONDS: z.coerce
    .number({ error: "SIMULATOR_PAYMENT_EXPIRY_SECONDS must be a number of seconds from 2 to 86400." })
    .int("SIMULATOR_PAYMENT_EXPIRY_SECONDS must be a whole number of seconds from 2 to 86400.")
    .min(2, "SIMULATOR_PAYMENT_EXPIRY_SECONDS must be a number of seconds from 2 to 86400.")
    .max(86_400, "SIMULATOR_PAYMENT_EXPIRY_SECONDS must be a number of seconds from 2 to 86400.")
    .default(300),
  /** The transaction poller: on by default, off for tools and tests that must not poll. */
  PAIRDESK_POLLER: z
    .enum(["on", "off", "true", "false", "1", "0", ""])
    .default("on")
    .transform((v) => v !== "off" && v !== "false" && v !== "0"),
  RECOVERY_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUSTED_PROXY_HOPS: z.coerce
    .number({ error: "TRUSTED_PROXY_HOPS must be a whole number from 0 to 5." })
    .int("TRUSTED_PROXY_HOPS must be a whole number from 0 to 5.")
    .min(0, "TRUSTED_PROXY_HOPS must be a whole number from 0 to 5.")
    .max(5, "TRUSTED_PROXY_HOPS must be a whole number from 0 to 5.")
    .default(0),
});

export type VaultKey = { id: string; key: Buffer };

export type Env = {
  mode: Mode;
  databasePath: string;
  databaseBusyTimeoutMs: number;
  /** Postgres's URL when Pairdesk runs on Postgres (lib/db/engine.ts), else undefined (SQLite). */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  databaseStatementTimeoutMs: number;
  dataDir: string;
  authSecret: string;
  /** The first key encrypts; all of them decrypt (rotation). */
  vaultKeys: VaultKey[];
  publicUrl: string;
  payConnect: {
    timeoutMs: number;
    pairTimeoutMs: number;
    production: { baseUrl: string; integratorId: string | undefined };
    sandbox: { baseUrl: string; integratorId: string | undefined };
  };
  simulator: { enabled: boolean; databasePath: string; webhookRetryScale: number; paymentExpiryMs: number };
  poller: { enabled: boolean };
  recoveryDir: string;
  logLevel: z.infer<typeof rawSchema>["LOG_LEVEL"];
  /**
   * How many reverse proxies in front of Pairdesk append the client's address to
   * X-Forwarded-For. 0: none is trusted, the header is ignored (a client can write anything in it).
   */
  trustedProxyHops: number;
  /** Names of settings generated into the data folder at this start. */
  generated: string[];
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * `VAULT_KEY` is either the base64 of 32 random bytes (key id `k1`), or a keyring
 * `id:base64,id:base64` whose first entry encrypts and whose others still decrypt.
 */
export function parseVaultKeys(value: string): VaultKey[] {
  const entries = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new ConfigError("VAULT_KEY is empty.");
  const keyring = entries.length > 1 || entries[0]!.includes(":");
  const keys = entries.map((entry, i) => {
    let id = "k1";
    let b64 = entry;
    if (keyring) {
      const at = entry.indexOf(":");
      if (at < 1) {
        throw new ConfigError(
          `VAULT_KEY entry ${i + 1} has no key id: write the keyring as id:base64,id:base64.`,
        );
      }
      id = entry.slice(0, at);
      b64 = entry.slice(at + 1);
    }
    if (!KEY_ID.test(id)) {
      throw new ConfigError(`VAULT_KEY key id "${id}" must be 1-32 letters, digits, - or _.`);
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
      throw new ConfigError(`VAULT_KEY key "${id}" is not base64.`);
    }
    const key = Buffer.from(b64, "base64");
    if (key.length !== 32) {
      throw new ConfigError(
        `VAULT_KEY key "${id}" decodes to ${key.length} bytes; it must be the base64 of exactly 32 random bytes (openssl rand -base64 32).`,
      );
    }
    if (new Set(key).size < 8) {
      throw new ConfigError(`VAULT_KEY key "${id}" is too weak: use 32 random bytes.`);
    }
    return { id, key };
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new ConfigError("VAULT_KEY names the same key id twice.");
  return keys;
}

function checkAuthSecret(value: string): void {
  if (value.length < 32) {
    throw new ConfigError(
      "AUTH_SECRET is too weak: it must be at least 32 characters (openssl rand -base64 32).",
    );
  }
  if (new Set(value).size < 8) {
    throw new ConfigError("AUTH_SECRET is too weak: use a random value (openssl rand -base64 32).");
  }
}

type GeneratedSecrets = { AUTH_SECRET?: string; VAULT_KEY?: string };

function readGenerated(file: string): GeneratedSecrets {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as GeneratedSecrets;
  } catch {
    return {};
  }
}

function writeGenerated(file: string, secrets: GeneratedSecrets) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = rawSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `${i.path.join(".") || "environment"}: ${i.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const raw = parsed.data;
  const mode: Mode =
    raw.PAIRDESK_MODE ?? (source.NODE_ENV === "production" ? "production" : "development");

  const databasePath = path.resolve(/*turbopackIgnore: true*/ raw.DATABASE_PATH);
  const dataDir = path.dirname(databasePath);
  let authSecret = raw.AUTH_SECRET;
  let vaultKeyText = raw.VAULT_KEY;
  const generated: string[] = [];

  if (mode === "production") {
    if (!authSecret) {
      throw new ConfigError(
        "AUTH_SECRET is missing: a production start needs a random secret of at least 32 characters (openssl rand -base64 32).",
      );
    }
    if (!vaultKeyText) {
      throw new ConfigError(
        "VAULT_KEY is missing: a production start needs the base64 of 32 random bytes (openssl rand -base64 32). Keep it safe: without it the stored credentials cannot be read.",
      );
    }
    if (raw.PAIRDESK_SIMULATOR) {
      throw new ConfigError(
        "PAIRDESK_SIMULATOR is on: a production start refuses the simulator. Turn it off, or start with PAIRDESK_MODE=demo.",
      );
    }
  } else if ((!authSecret || !vaultKeyText) && raw.DATABASE_URL) {
    // Several instances share one Postgres: a key generated into one instance's data folder would
    // seal pairings that the others cannot open (and sign sessions they refuse).
    throw new ConfigError(
      `${[!authSecret && "AUTH_SECRET", !vaultKeyText && "VAULT_KEY"].filter(Boolean).join(" and ")} must be set when DATABASE_URL is: every instance on the database must share them, so none may generate its own. After npm run db -- copy of a demo, they are in its data folder's generated-secrets.json.`,
    );
  } else if (!authSecret || !vaultKeyText) {
    const file = path.join(dataDir, "generated-secrets.json");
    const stored = readGenerated(file);
    const next = { ...stored };
    if (!authSecret) {
      if (!next.AUTH_SECRET) {
        next.AUTH_SECRET = randomBytes(32).toString("base64url");
        generated.push("AUTH_SECRET");
      }
      authSecret = next.AUTH_SECRET;
    }
    if (!vaultKeyText) {
      if (!next.VAULT_KEY) {
        next.VAULT_KEY = randomBytes(32).toString("base64");
        generated.push("VAULT_KEY");
      }
      vaultKeyText = next.VAULT_KEY;
    }
    if (generated.length > 0) writeGenerated(file, next);
  }

  checkAuthSecret(authSecret!);
  const vaultKeys = parseVaultKeys(vaultKeyText!);

  // After the secrets, so a start missing several settings names them in the same order as before.
  if (mode === "production" && !raw.PUBLIC_URL?.startsWith("https://")) {
    throw new ConfigError(
      `PUBLIC_URL must be the https address where browsers and Pay-Connect reach Pairdesk (e.g. https://pairdesk.example.com)${
        raw.PUBLIC_URL ? `, not ${raw.PUBLIC_URL}` : ": a production start needs it set explicitly"
      }.`,
    );
  }

  return {
    mode,
    databasePath,
    databaseBusyTimeoutMs: raw.DATABASE_BUSY_TIMEOUT_MS,
    databaseUrl: raw.DATABASE_URL,
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    databaseStatementTimeoutMs: raw.DATABASE_STATEMENT_TIMEOUT_MS,
    dataDir,
    authSecret: authSecret!,
    vaultKeys,
    publicUrl: raw.PUBLIC_URL ?? "http://localhost:3000",
    payConnect: {
      timeoutMs: raw.PAY_CONNECT_TIMEOUT_MS,
      pairTimeoutMs: raw.PAY_CONNECT_PAIR_TIMEOUT_MS,
      production: {
        baseUrl: raw.PAY_CONNECT_PRODUCTION_URL,
        integratorId: raw.PAY_CONNECT_PRODUCTION_INTEGRATOR_ID ?? raw.PAY_CONNECT_INTEGRATOR_ID,
      },
      sandbox: {
        baseUrl: raw.PAY_CONNECT_SANDBOX_URL,
        integratorId: raw.PAY_CONNECT_SANDBOX_INTEGRATOR_ID ?? raw.PAY_CONNECT_INTEGRATOR_ID,
      },
    },
    simulator: {
      enabled: raw.PAIRDESK_SIMULATOR,
      databasePath: path.resolve(/*turbopackIgnore: true*/ raw.SIMULATOR_DATABASE_PATH ?? path.join(dataDir, "simulator.db")),
      webhookRetryScale: raw.SIMULATOR_WEBHOOK_RETRY_SCALE,
      paymentExpiryMs: raw.SIMULATOR_PAYMENT_EXPIRY_SECONDS * 1000,
    },
    poller: { enabled: raw.PAIRDESK_POLLER },
    recoveryDir: path.resolve(/*turbopackIgnore: true*/ raw.RECOVERY_DIR ?? path.join(dataDir, "recovery")),
    logLevel: raw.LOG_LEVEL,
    trustedProxyHops: raw.TRUSTED_PROXY_HOPS,
    generated,
  };
}

const globalForEnv = globalThis as unknown as { __pairdeskEnv?: Env };

/** The validated configuration of this process (loaded on first use). */
export function getEnv(): Env {
  if (!globalForEnv.__pairdeskEnv) {
    const env = loadEnv();
    // next-auth 4 reads these two from process.env.
    process.env.NEXTAUTH_SECRET ??= env.authSecret;
    process.env.NEXTAUTH_URL ??= env.publicUrl;
    globalForEnv.__pairdeskEnv = env;
  }
  return globalForEnv.__pairdeskEnv;
}
