/**
 * A Pairdesk server of a spec's own (not the shared E2E server): the production build under
 * `next start` on OWN_PORT, with its own data folder, the simulator on, and its log in
 * `<dir>/server.log` (appended across restarts). For the tests that kill the server, restart it,
 * or start it with a broken setting. Specs that use it run one at a time (a lock file), since
 * they share the port.
 */
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../lib/db/open";
import type { Role } from "../lib/db/schema";
import { createUser as createUserInDb } from "../lib/users/users";
import { E2E_INTEGRATOR_ID } from "./env";
import { test } from "./fixtures";
import { E2E_MERCHANT } from "./seed";

/** E2E_OWN_PORT: another suite on the same machine (a second checkout) uses its own. */
const OWN_PORT = Number(process.env.E2E_OWN_PORT ?? 3141);
export const OWN_URL = `http://localhost:${OWN_PORT}`;

const LOCK = path.join(os.tmpdir(), `pairdesk-e2e-own-server-${OWN_PORT}.lock`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until no other spec holds the port's lock, then takes it (a dead holder's lock is taken over). */
async function lockOwnPort(timeoutMs = 300_000): Promise<() => void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, "pid"), String(process.pid));
      return () => fs.rmSync(LOCK, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number(fs.readFileSync(path.join(LOCK, "pid"), { encoding: "utf8", flag: "a+" }) || 0);
      if (holder && !alive(holder)) fs.rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > until) throw new Error(`port ${OWN_PORT} stayed locked by process ${holder}`);
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Whether a server answers on the port: any answer, a 503 from /api/health (a broken check) too. */
async function answers(): Promise<boolean> {
  try {
    await fetch(`${OWN_URL}/api/health`);
    return true;
  } catch {
    return false;
  }
}

export type OwnServer = {
  dir: string;
  dbPath: string;
  simulatorDbPath: string;
  logFile: string;
  /** Reads the whole server log (all starts). */
  log(): string;
  /** SIGKILL: no shutdown of any kind, as a crash or an OOM kill. */
  kill9(): Promise<void>;
  /** A clean stop SIGTERM. */
  stop(): Promise<void>;
};

/** A fresh data folder for one test. */
export function ownDataDir(name: string): string {
  const dir = path.resolve(".e2e", `own-${name}-${Date.now().toString(36)}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Starts `next start` on OWN_PORT with the data in `dir` and waits until it answers. */
async function startOwnServer(dir: string, env: Record<string, string> = {}): Promise<OwnServer> {
  if (await answers()) throw new Error(`something already answers on ${OWN_URL}`);
  const dbPath = path.join(dir, "pairdesk.db");
  const logFile = path.join(dir, "server.log");
  const out = fs.openSync(logFile, "a");
  const child: ChildProcess = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(OWN_PORT)], {
    stdio: ["ignore", out, out],
    detached: true, // its own process group, so that a kill reaches anything it started
    env: {
      ...process.env,
      NODE_ENV: "production",
      PAIRDESK_MODE: "demo",
      PAIRDESK_SIMULATOR: "on",
      DATABASE_PATH: dbPath,
      PUBLIC_URL: OWN_URL,
      PAY_CONNECT_SANDBOX_URL: `${OWN_URL}/simulator/api`,
      PAY_CONNECT_SANDBOX_INTEGRATOR_ID: E2E_INTEGRATOR_ID,
      PAY_CONNECT_PRODUCTION_INTEGRATOR_ID: "",
      PAY_CONNECT_INTEGRATOR_ID: "",
      PAY_CONNECT_TIMEOUT_MS: "10000",
      LOG_LEVEL: "info",
      ...env,
    },
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const until = Date.now() + 60_000;
  while (!(await answers())) {
    if (gone) throw new Error(`the server exited at start:\n${fs.readFileSync(logFile, "utf8").slice(-3000)}`);
    if (Date.now() > until) throw new Error("the server did not answer within 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  // As on the shared server, staff pair into "E2E merchant" (the only merchant here, so the
  // pairing form preselects it; submitPairForm chooses it by name).
  const db = new Database(dbPath);
  db.pragma("busy_timeout = 5000");
  try {
    db.prepare("insert into merchants (name) select ? where not exists (select 1 from merchants where name = ?)").run(E2E_MERCHANT, E2E_MERCHANT);
  } finally {
    db.close();
  }
  const killGroup = async (signal: NodeJS.Signals) => {
    if (!gone) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
      await exited;
    }
    // The port is free once the process group is gone.
    while (await answers()) await new Promise((r) => setTimeout(r, 100));
  };
  return {
    dir,
    dbPath,
    simulatorDbPath: path.join(dir, "simulator.db"),
    logFile,
    log: () => fs.readFileSync(logFile, "utf8"),
    kill9: () => killGroup("SIGKILL"),
    stop: () => killGroup("SIGTERM"),
  };
}

/** A user written straight into the server's database. */
export async function createOwnUser(server: Pick<OwnServer, "dbPath">, role: Role) {
  const db = openDatabase(server.dbPath, { migrate: false });
  try {
    const email = `${role}-${Math.random().toString(36).slice(2, 10)}@e2e.test`;
    const password = `pw-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
    const user = await createUserInDb(db, { email, password, role, name: "" });
    return { id: user.id, email, password, role };
  } finally {
    db.close();
  }
}

/** A read/write handle on a server's database (close it when done). */
export function ownDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  return db;
}

/** Every byte Pairdesk's database holds on disk (main file and write-ahead log). */
export function ownDatabaseBytes(dbPath: string): Buffer {
  return Buffer.concat([dbPath, `${dbPath}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The lifecycle a spec with servers of its own needs: its tests run in order against OWN_URL,
 * holding the port's lock, and every server a test started is killed after it. Call it once at
 * the top of the spec; use the returned start and kill9 in the tests.
 */
export function ownServerLifecycle() {
  const running: OwnServer[] = [];
  let unlock: (() => void) | undefined;
  test.describe.configure({ mode: "serial" });
  test.use({ baseURL: OWN_URL });
  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(300_000);
    unlock = await lockOwnPort();
  });
  test.afterEach(async () => {
    while (running.length) await running.pop()!.kill9();
  });
  test.afterAll(() => unlock?.());
  return {
    async start(dir: string, env?: Record<string, string>): Promise<OwnServer> {
      const s = await startOwnServer(dir, env);
      running.push(s);
      return s;
    },
    async kill9(s: OwnServer): Promise<void> {
      await s.kill9();
      running.splice(running.indexOf(s), 1);
    },
  };
}
