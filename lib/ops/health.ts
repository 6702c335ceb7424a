/**
 * What /api/health reports: one entry per check — the database, its migrations, the vault, the
 * recovery spool — each `ok` / `attention` / `broken` with a plain message. Any broken check
 * makes the answer 503. The endpoint is unauthenticated (load balancers and the test runner
 * poll it), so the messages name no file path, key id, version or count of secrets; the details
 * an operator needs go to the server log, once, when the state changes.
 *
 * Cheap enough to be polled every few seconds: the database and spool checks read a little on
 * each call, the vault check (which opens one stored secret per key id) and the spool's write
 * probe are remembered for 30 seconds.
 */
import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { VaultKey } from "../env";
import { migrationState, type KnownMigration } from "./database";
import type { OpsSql } from "./sql";
import { checkSecretsOpen, describeUnopened } from "./secrets";
import { scanSpoolFolder } from "../pairing/recovery-record";

type CheckStatus = "ok" | "attention" | "broken";
type HealthCheck = { ok: boolean; status: CheckStatus; message: string };
type CheckName = "database" | "migrations" | "vault" | "recoverySpool" | "poller" | "signInLimits";
export type Health = {
  ok: boolean;
  status: CheckStatus;
  checks: Record<CheckName, HealthCheck>;
  /** Which instance answered, and which one holds the poller's lease (null: none): several instances behind a load balancer. */
  instance?: string;
  pollerHolder?: string | null;
};

/** A check as computed: `detail` is for the server log only, never for the answer. */
type Checked = HealthCheck & { detail?: string };

export type HealthSources = {
  database: () => OpsSql;
  keys: () => VaultKey[];
  recoveryDir: () => string;
  migrations: () => KnownMigration[];
  /** This instance's name (lib/ops/instance.ts), when the answer should say it. */
  instance?: () => string;
  /** Whether this server runs the poller (PAIRDESK_POLLER); defaults to true. */
  pollerEnabled?: () => boolean;
  /** The mode and TRUSTED_PROXY_HOPS: whether the per-address sign-in limit can work. */
  proxy?: () => { mode: string; trustedProxyHops: number };
  now?: () => number;
};

/** What a production server without a trusted proxy says (at start and in /api/health). */
export const NO_PROXY_MESSAGE =
  "Sign-in limits per address are off: TRUSTED_PROXY_HOPS=0, so Pairdesk cannot know a client's address. Behind your TLS proxy, set TRUSTED_PROXY_HOPS to the number of proxies in front (usually 1); the limit per account still applies.";

/** Attention when a production server has no trusted proxy: the per-address sign-in limit cannot work. */
function checkSignInLimits(proxy: { mode: string; trustedProxyHops: number }): HealthCheck {
  if (proxy.trustedProxyHops > 0) return { ok: true, status: "ok", message: `Per address and per account (the client's address from ${proxy.trustedProxyHops} trusted prox${proxy.trustedProxyHops === 1 ? "y" : "ies"}).` };
  if (proxy.mode === "production") return { ok: true, status: "attention", message: NO_PROXY_MESSAGE };
  return { ok: true, status: "ok", message: "Per account (per address needs TRUSTED_PROXY_HOPS, for a server behind a proxy)." };
}

/** Past these the poller needs attention. */
const POLLER_SILENT_MS = 60_000;
const POLLER_LAG_MS = 60_000;

const secondsAgo = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;

/**
 * The transaction poller (lib/poller/poller.ts), read from its row in `workers`: it needs
 * attention when it is off, silent or behind while transactions wait for a poll, or when its last
 * run had failures. Never broken: webhooks still bring statuses. No counts in the message.
 */
async function checkPoller(sql: OpsSql, enabled: boolean, now: number, instance?: string): Promise<Checked & { holder?: string | null }> {
  const checked = await pollerState(sql, enabled, now);
  if (instance === undefined) return checked;
  const [w] = await sql.all<{ holder: string | null; lease_expires_at: number | null }>("select holder, lease_expires_at from workers where name = 'poller'");
  const holder = w?.holder && Number(w.lease_expires_at ?? 0) > now ? w.holder : null;
  const who = holder === null ? "No instance holds its lease." : holder === instance ? "This instance holds its lease." : `Instance ${holder} holds its lease.`;
  return { ...checked, message: `${checked.message} ${who}`, holder };
}

async function pollerState(sql: OpsSql, enabled: boolean, now: number): Promise<Checked> {
  const waiting = Number((await sql.all<{ n: number }>("select count(*) as n from transactions where next_poll_at is not null"))[0]?.n ?? 0);
  const [w] = await sql.all<{ holder: string | null; last_run_at: number | null; last_run_errors: number | null; lag_ms: number | null; last_error: string | null }>(
    "select holder, last_run_at, last_run_errors, lag_ms, last_error from workers where name = 'poller'",
  );
  if (!enabled) {
    return waiting > 0
      ? attention("The poller is off on this server (PAIRDESK_POLLER=off): open transactions get their status from webhooks only, unless another server polls.")
      : ok("Off on this server (PAIRDESK_POLLER=off); no transaction waits for a poll.");
  }
  if (!w?.last_run_at) {
    return waiting > 0 ? attention("The poller has not run yet: transactions wait for their first poll.") : ok("Ready; no transaction to poll yet.");
  }
  const since = now - w.last_run_at;
  if (since > POLLER_SILENT_MS && waiting > 0) {
    return attention(`The poller last ran ${secondsAgo(since)} ago: no server process holds its lease.`, `holder ${w.holder ?? "none"}`);
  }
  if ((w.lag_ms ?? 0) > POLLER_LAG_MS) {
    return attention(`The poller is behind: the most overdue poll waited ${secondsAgo(w.lag_ms ?? 0)}.`);
  }
  if ((w.last_run_errors ?? 0) > 0) {
    return attention("The poller's last run had failed calls to the provider: the dashboard says which.", w.last_error ?? undefined);
  }
  return ok(`Last run ${secondsAgo(since)} ago, ${secondsAgo(w.lag_ms ?? 0)} behind.`);
}

const HEALTH_CACHE_MS = 30_000;

/** Remembered vault and spool-write checks; one per server, a fresh one per test. */
export type HealthCache = Map<string, { at: number; value: Checked }>;

const ok = (message: string): Checked => ({ ok: true, status: "ok", message });
const attention = (message: string, detail?: string): Checked => ({ ok: true, status: "attention", message, detail });
const broken = (message: string, detail?: string): Checked => ({ ok: false, status: "broken", message, detail });
const notChecked = (what: string): Checked => broken(`Not checked: the database does not answer, so ${what} cannot be read.`);

async function cached(cache: HealthCache | null, key: string, ttlMs: number, compute: () => Checked | Promise<Checked>): Promise<Checked> {
  const now = Date.now();
  const hit = cache?.get(key);
  if (hit && now - hit.at < ttlMs) return hit.value;
  const value = await compute();
  cache?.set(key, { at: now, value });
  return value;
}

async function checkMigrations(sql: OpsSql, known: KnownMigration[]): Promise<Checked> {
  const state = await migrationState(sql, known);
  if (state.unknown > 0) {
    return broken(
      "The database has migrations this version of Pairdesk does not know: it was written by a newer version.",
      `${state.unknown} unknown migration(s); this code knows ${state.known}`,
    );
  }
  if (state.pending.length > 0) {
    return broken(
      "Migrations of this version are not applied to the database: restart the server, which applies them.",
      `pending: ${state.pending.map((m) => m.tag).join(", ")}`,
    );
  }
  // No counts in what anyone may read: the number of migrations would name the version.
  return ok("All migrations are applied.");
}

async function checkVault(sql: OpsSql, keys: VaultKey[]): Promise<Checked> {
  const check = await checkSecretsOpen(sql, keys);
  if (check.missing.length > 0 || check.wrongKey.length > 0) {
    return broken(
      "VAULT_KEY does not open the stored secrets: credentials cannot be revealed or used. Run `npm run vault -- status` on the server.",
      `key ids that do not open: ${describeUnopened(check)}`,
    );
  }
  // Neither how many keys (a rotation in progress) nor whether any secret is stored: the server
  // log and `npm run vault -- status` say that to operators.
  void keys;
  return ok("VAULT_KEY is loaded and opens the stored secrets.");
}

/** Whether a file can be created in the spool folder (created if missing, as the first pairing would). */
/** tmpfs and ramfs (statfs f_type): a restart of the machine empties them. */
const MEMORY_FILE_SYSTEMS = new Set([0x01021994, 0x858458f6]);

function checkSpoolWritable(dir: string): Checked | null {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const probe = path.join(dir, `.health-${process.pid}.probe`);
    fs.writeFileSync(probe, "", { mode: 0o600 });
    fs.rmSync(probe, { force: true });
  } catch (err) {
    return broken(
      "The recovery spool cannot be written: a pairing whose database write fails would keep its credentials only in the server log.",
      (err as Error).message,
    );
  }
  // Written, but not kept: a memory file system loses the spool at the machine's restart (a
  // container's scratch space, a tmpfs mount), and with it the only copy of a cut-off pairing.
  try {
    const type = fs.statfsSync(dir).type;
    if (MEMORY_FILE_SYSTEMS.has(type)) {
      return attention(
        "The recovery spool is on a memory file system: what it holds is lost when the machine restarts. Set RECOVERY_DIR to a folder on a persistent disk (one volume per instance).",
        `file system type 0x${type.toString(16)}`,
      );
    }
  } catch {
    // statfs unavailable: say nothing rather than guess
  }
  return null;
}

async function checkSpool(dir: string, cache: HealthCache | null): Promise<Checked> {
  const writable = await cached(cache, "spool-write", HEALTH_CACHE_MS, () => checkSpoolWritable(dir) ?? ok("writable"));
  if (writable.status !== "ok") return writable;
  const { records, unreadable } = scanSpoolFolder(dir);
  if (unreadable.length > 0) {
    return attention(
      "Spool files cannot be read: see the dashboard.",
      unreadable.join(", "),
    );
  }
  if (records.length > 0) {
    return attention("Pairings wait in the recovery spool: an admin completes them from the dashboard.");
  }
  return ok("Empty, and writable.");
}

function overall(checks: Record<CheckName, Checked>): CheckStatus {
  const all = Object.values(checks);
  if (all.some((c) => c.status === "broken")) return "broken";
  if (all.some((c) => c.status === "attention")) return "attention";
  return "ok";
}

/** Runs every check. Returns the answer and, for the server log, the details of what is not ok. */
export async function checkHealth(sources: HealthSources, cache: HealthCache | null): Promise<{ health: Health; details: Record<string, string> }> {
  let sql: OpsSql | null = null;
  let database: Checked;
  try {
    sql = sources.database();
    await sql.all("select 1 as one");
    database = ok("The database answers.");
  } catch (err) {
    sql = null;
    database = broken("The database does not answer.", (err as Error).message);
  }

  const guard = async (what: string, run: () => Checked | Promise<Checked>): Promise<Checked> => {
    try {
      return await run();
    } catch (err) {
      return broken(`The ${what} check failed unexpectedly.`, (err as Error).message);
    }
  };
  const instance = sources.instance?.();
  const poller = sql
    ? await guard("poller", () => checkPoller(sql!, sources.pollerEnabled?.() ?? true, sources.now?.() ?? Date.now(), instance))
    : notChecked("the poller's state");
  const checks: Record<CheckName, Checked> = {
    database,
    migrations: sql ? await guard("migrations", () => checkMigrations(sql!, sources.migrations())) : notChecked("its migrations"),
    vault: sql
      ? await cached(cache, "vault", HEALTH_CACHE_MS, () => guard("vault", () => checkVault(sql!, sources.keys())))
      : notChecked("the stored secrets"),
    recoverySpool: await guard("recovery spool", () => checkSpool(sources.recoveryDir(), cache)),
    poller,
    signInLimits: checkSignInLimits(sources.proxy?.() ?? { mode: "test", trustedProxyHops: 0 }),
  };
  const status = overall(checks);
  const details: Record<string, string> = {};
  const answer = {} as Record<CheckName, HealthCheck>;
  for (const [name, c] of Object.entries(checks) as [CheckName, Checked][]) {
    answer[name] = { ok: c.ok, status: c.status, message: c.message };
    if (c.detail) details[name] = c.detail;
  }
  const health: Health = { ok: status !== "broken", status, checks: answer };
  if (instance !== undefined) {
    health.instance = instance;
    health.pollerHolder = (poller as { holder?: string | null }).holder ?? null;
  }
  return { health, details };
}
