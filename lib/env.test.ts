import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadEnv, parseVaultKeys } from "./env";

const KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 1)).toString("base64");
const SECRET = "a-long-random-auth-secret-0123456789abcdef";

function tmpDb() {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-env-")), "pairdesk.db");
}

describe("loadEnv", () => {
  it("stops a production start without VAULT_KEY, naming the variable", () => {
    expect(() => loadEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, DATABASE_PATH: tmpDb() })).toThrow(
      /VAULT_KEY is missing/,
    );
  });

  it("stops a production start without AUTH_SECRET or with a weak one", () => {
    expect(() => loadEnv({ NODE_ENV: "production", VAULT_KEY: KEY, DATABASE_PATH: tmpDb() })).toThrow(/AUTH_SECRET is missing/);
    expect(() =>
      loadEnv({ NODE_ENV: "production", VAULT_KEY: KEY, AUTH_SECRET: "short", DATABASE_PATH: tmpDb() }),
    ).toThrow(/AUTH_SECRET is too weak/);
  });

  it("stops a production start with a weak vault key", () => {
    const weak = Buffer.alloc(32, 1).toString("base64");
    expect(() => loadEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, VAULT_KEY: weak, DATABASE_PATH: tmpDb() })).toThrow(
      /VAULT_KEY key "k1" is too weak/,
    );
    const short = Buffer.alloc(16, 3).toString("base64");
    expect(() => loadEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, VAULT_KEY: short, DATABASE_PATH: tmpDb() })).toThrow(
      /decodes to 16 bytes/,
    );
  });

  it("refuses the simulator in production", () => {
    expect(() =>
      loadEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, VAULT_KEY: KEY, PAIRDESK_SIMULATOR: "on", DATABASE_PATH: tmpDb() }),
    ).toThrow(/PAIRDESK_SIMULATOR is on: a production start refuses the simulator/);
  });

  it("stops a production start without an explicit https PUBLIC_URL, after the secret checks", () => {
    const good = { NODE_ENV: "production", AUTH_SECRET: SECRET, VAULT_KEY: KEY, DATABASE_PATH: tmpDb() };
    expect(() => loadEnv(good)).toThrow(
      /PUBLIC_URL must be the https address where browsers and Pay-Connect reach Pairdesk.*set explicitly/,
    );
    expect(() => loadEnv({ ...good, PUBLIC_URL: "http://pairdesk.example.com" })).toThrow(
      /PUBLIC_URL must be the https address .*, not http:\/\/pairdesk\.example\.com/,
    );
    const env = loadEnv({ ...good, PUBLIC_URL: "https://pairdesk.example.com/" });
    expect(env.publicUrl).toBe("https://pairdesk.example.com");
    // The secrets are still checked (and named) first.
    expect(() => loadEnv({ NODE_ENV: "production", VAULT_KEY: KEY, DATABASE_PATH: tmpDb() })).toThrow(/AUTH_SECRET is missing/);
    expect(() => loadEnv({ ...good, VAULT_KEY: "c2hvcnQ=" })).toThrow(/VAULT_KEY key "k1" decodes to 5 bytes/);
    expect(() => loadEnv({ ...good, PAIRDESK_SIMULATOR: "on" })).toThrow(/PAIRDESK_SIMULATOR is on/);
    // Other modes keep the local default.
    expect(loadEnv({ PAIRDESK_MODE: "demo", AUTH_SECRET: SECRET, VAULT_KEY: KEY, DATABASE_PATH: tmpDb() }).publicUrl).toBe(
      "http://localhost:3000",
    );
  });

  it("on Postgres, generates nothing even in demo mode: every instance must share the secrets", () => {
    const db = tmpDb();
    const url = "postgres://pairdesk:pw@db.example.test:5432/pairdesk";
    expect(() => loadEnv({ PAIRDESK_MODE: "demo", DATABASE_URL: url, DATABASE_PATH: db })).toThrow(/AUTH_SECRET and VAULT_KEY must be set when DATABASE_URL is/);
    expect(() => loadEnv({ PAIRDESK_MODE: "demo", DATABASE_URL: url, AUTH_SECRET: SECRET, DATABASE_PATH: db })).toThrow(/^VAULT_KEY must be set when DATABASE_URL is/);
    expect(fs.existsSync(path.join(path.dirname(db), "generated-secrets.json"))).toBe(false);
    expect(loadEnv({ PAIRDESK_MODE: "demo", DATABASE_URL: url, AUTH_SECRET: SECRET, VAULT_KEY: KEY, DATABASE_PATH: db }).databaseUrl).toBe(url);
    // The password is never in the message of a bad URL.
    expect(() => loadEnv({ PAIRDESK_MODE: "demo", DATABASE_URL: "mysql://u:hunter2@h/db", AUTH_SECRET: SECRET, VAULT_KEY: KEY, DATABASE_PATH: db })).toThrow(
      /DATABASE_URL must be a postgres:\/\/ \(or postgresql:\/\/\) URL/,
    );
    try {
      loadEnv({ PAIRDESK_MODE: "demo", DATABASE_URL: "mysql://u:hunter2@h/db", AUTH_SECRET: SECRET, VAULT_KEY: KEY, DATABASE_PATH: db });
    } catch (err) {
      expect(String((err as Error).message)).not.toContain("hunter2");
    }
  });

  it("generates missing secrets in demo mode into the data folder, mode 0600, and reuses them", () => {
    const db = tmpDb();
    const first = loadEnv({ PAIRDESK_MODE: "demo", DATABASE_PATH: db });
    expect(first.generated.sort()).toEqual(["AUTH_SECRET", "VAULT_KEY"]);
    const file = path.join(path.dirname(db), "generated-secrets.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = loadEnv({ PAIRDESK_MODE: "demo", DATABASE_PATH: db });
    expect(second.generated).toEqual([]);
    expect(second.authSecret).toBe(first.authSecret);
    expect(second.vaultKeys[0]!.key.equals(first.vaultKeys[0]!.key)).toBe(true);
  });

  it("applies defaults and per-environment integrator ids", () => {
    const env = loadEnv({
      PAIRDESK_MODE: "test",
      AUTH_SECRET: SECRET,
      VAULT_KEY: KEY,
      DATABASE_PATH: tmpDb(),
      PAY_CONNECT_INTEGRATOR_ID: "general",
      PAY_CONNECT_SANDBOX_INTEGRATOR_ID: "sandbox-only",
    });
    expect(env.payConnect.production).toEqual({ baseUrl: "https://api-payment.lab4pay.com", integratorId: "general" });
    expect(env.payConnect.sandbox).toEqual({ baseUrl: "https://api-payment.lab4pay.dev", integratorId: "sandbox-only" });
    expect(env.publicUrl).toBe("http://localhost:3000");
    expect(env.simulator.enabled).toBe(false);
  });

  it("gives the pair call its own timeout, 60 s unless PAY_CONNECT_PAIR_TIMEOUT_MS says otherwise", () => {
    const base = { PAIRDESK_MODE: "test", AUTH_SECRET: SECRET, VAULT_KEY: KEY, DATABASE_PATH: tmpDb() };
    expect(loadEnv(base).payConnect).toMatchObject({ timeoutMs: 15_000, pairTimeoutMs: 60_000 });
    expect(loadEnv({ ...base, PAY_CONNECT_PAIR_TIMEOUT_MS: "90000" }).payConnect.pairTimeoutMs).toBe(90_000);
    expect(() => loadEnv({ ...base, PAY_CONNECT_PAIR_TIMEOUT_MS: "soon" })).toThrow(/PAY_CONNECT_PAIR_TIMEOUT_MS/);
  });

  it("rejects a malformed URL with the variable's name", () => {
    expect(() => loadEnv({ PAIRDESK_MODE: "test", AUTH_SECRET: SECRET, VAULT_KEY: KEY, PUBLIC_URL: "not a url" })).toThrow(
      /PUBLIC_URL/,
    );
  });
});

describe("parseVaultKeys", () => {
  it("reads a keyring whose first key encrypts", () => {
    const other = Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - i)).toString("base64");
    const keys = parseVaultKeys(`k2:${other},k1:${KEY}`);
    expect(keys.map((k) => k.id)).toEqual(["k2", "k1"]);
  });
  it("rejects duplicate ids and non-base64", () => {
    expect(() => parseVaultKeys(`a:${KEY},a:${KEY}`)).toThrow(ConfigError);
    expect(() => parseVaultKeys("not base64!")).toThrow(/not base64/);
  });
});
