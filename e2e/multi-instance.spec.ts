/**
 * Two Pairdesk instances on one Postgres behind nginx (round robin, e2e/multi-instance/nginx.conf,
 * the sample docs/operations.md shows): a user signs in through the load balancer and both
 * instances serve them; signed webhooks spread over both; the instance holding the poller's
 * lease is killed with -9 in the middle of the flood: every delivery answered 200 is stored and
 * applied once, the others are sent again (as Pay-Connect retries), and the poller moves to the
 * survivor; the killed instance, started again, joins.
 *
 * Needs Postgres: TEST_DATABASE_URL names a cluster this test may create a database on (`npm
 * test` runs the E2E suite under scripts/test/with-postgres.ts, which starts one).
 */
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { openDatabase, rawQuery, type DB } from "../lib/db/open";
import { merchants } from "../lib/db/schema";
import { createUser } from "../lib/users/users";
import { simFault, simOtp, simTerminal, submitPairForm } from "./fixtures";

const ADMIN_URL = process.env.TEST_DATABASE_URL;
const LB_PORT = Number(process.env.E2E_MULTI_PORT ?? 3160);
const LB_URL = `http://127.0.0.1:${LB_PORT}`;
const INSTANCES = [
  { name: "pd-a", port: LB_PORT + 1 },
  { name: "pd-b", port: LB_PORT + 2 },
] as const;
const AUTH_SECRET = randomBytes(32).toString("base64url");
const VAULT_KEY = randomBytes(32).toString("base64");

test.describe.configure({ mode: "serial" });
// Relative paths (the fixtures' pairing form, the simulator's API) go through the load balancer.
test.use({ baseURL: LB_URL });
// CI always has Postgres (npm test); a bare `npx playwright test` without it skips this file, saying why.
test.skip(!ADMIN_URL && !process.env.CI, "needs Postgres: run it through `npm test` or scripts/test/with-postgres.ts");

const dir = path.resolve(".e2e", `multi-${Date.now().toString(36)}`);
let databaseUrl = "";
let db: DB;
let nginx: ChildProcess | null = null;
const ADMIN = { email: "multi@pairdesk.local", password: randomBytes(12).toString("base64url") };
const MERCHANT = "Multi merchant";
const servers = new Map<string, { child: ChildProcess; exited: Promise<void> }>();

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function answers(url: string): Promise<boolean> {
  return fetch(`${url}/api/health`).then(
    (r) => r.status === 200,
    () => false,
  );
}

async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startInstance(name: string, port: number): Promise<void> {
  const logFile = path.join(dir, `${name}.log`);
  const out = fs.openSync(logFile, "a");
  const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", out, out],
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PAIRDESK_MODE: "demo",
      // The built-in simulator plays Pay-Connect, on one SQLite file both instances share: a
      // terminal made on one is paired from the other (PAY_CONNECT_SANDBOX_URL is the balancer).
      PAIRDESK_SIMULATOR: "on",
      SIMULATOR_DATABASE_PATH: path.join(dir, "simulator.db"),
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: "8",
      // Each instance's own disk: its SQLite default (unused here) and its recovery spool.
      DATABASE_PATH: path.join(dir, name, "unused.db"),
      RECOVERY_DIR: path.join(dir, name, "recovery"),
      INSTANCE_NAME: name,
      AUTH_SECRET,
      VAULT_KEY,
      PUBLIC_URL: LB_URL,
      TRUSTED_PROXY_HOPS: "1",
      PAY_CONNECT_SANDBOX_URL: `${LB_URL}/simulator/api`,
      PAY_CONNECT_SANDBOX_INTEGRATOR_ID: "e2e-multi",
      PAY_CONNECT_TIMEOUT_MS: "1000",
      LOG_LEVEL: "info",
    },
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  servers.set(name, { child, exited });
  await waitFor(`${name} to answer /api/health`, () => answers(`http://127.0.0.1:${port}`));
}

async function kill9(name: string): Promise<void> {
  const server = servers.get(name)!;
  process.kill(-server.child.pid!, "SIGKILL");
  await server.exited;
}

function startNginx(): void {
  const template = fs.readFileSync(path.resolve("e2e/multi-instance/nginx.conf"), "utf8");
  const conf = template
    .replaceAll("{{DIR}}", dir)
    .replaceAll("{{PORT_A}}", String(INSTANCES[0].port))
    .replaceAll("{{PORT_B}}", String(INSTANCES[1].port))
    .replaceAll("{{PORT}}", String(LB_PORT));
  fs.writeFileSync(path.join(dir, "nginx.conf"), conf);
  const bin = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].find((b) => fs.existsSync(b)) ?? "nginx";
  const check = spawnSync(bin, ["-t", "-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", path.join(dir, "error.log")], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`nginx refuses the configuration: ${check.stderr}`);
  nginx = spawn(bin, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", path.join(dir, "error.log"), "-g", "daemon off;"], { stdio: "ignore" });
}

/** Which instance served each logged request path (from nginx's access log). */
function upstreamsOf(pathPrefix: string): Set<string> {
  const log = fs.readFileSync(path.join(dir, "access.log"), "utf8");
  const ports = new Set<string>();
  for (const line of log.split("\n")) {
    const m = /"(?:GET|POST) (\S+) [^"]*" \d+ upstream=(\S+)/.exec(line);
    if (m && m[1]!.startsWith(pathPrefix)) for (const addr of m[2]!.split(", ")) ports.add(addr.split(":").at(-1)!);
  }
  return ports;
}

async function health(url: string): Promise<{ instance: string; pollerHolder: string | null; ok: boolean }> {
  return (await (await fetch(`${url}/api/health`)).json()) as { instance: string; pollerHolder: string | null; ok: boolean };
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  if (!ADMIN_URL) throw new Error("TEST_DATABASE_URL is not set: the multi-instance test needs Postgres (npm test starts one).");
  fs.mkdirSync(dir, { recursive: true });
  const name = `pd_multi_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  databaseUrl = withDatabase(ADMIN_URL, name);
  // Both instances start at once: the migrations run once, under their advisory lock.
  await Promise.all(INSTANCES.map((i) => startInstance(i.name, i.port)));
  startNginx();
  await waitFor("the load balancer", () => answers(LB_URL));
  db = openDatabase(databaseUrl, { migrate: false });
  await createUser(db, { email: ADMIN.email, password: ADMIN.password, role: "admin" });
  await db.transaction((tx) => tx.insert(merchants).values({ name: MERCHANT }));
});

test.afterAll(async () => {
  nginx?.kill("SIGTERM");
  for (const { child, exited } of servers.values()) {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await exited;
  }
  await db?.end();
});

async function signIn(page: Page, email: string, password: string, base = LB_URL): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
}

test("a user signs in through the load balancer and both instances serve them", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  for (const [link, heading] of [
    ["/merchants", "Merchants"],
    ["/terminals", "Terminals"],
    ["/transactions", "Transactions"],
    ["/audit", "Audit log"],
    ["/", "Dashboard"],
    ["/registers", "Registers"],
  ] as const) {
    await page.goto(`${LB_URL}${link}`);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  }
  // The same session opened pages on both instances (nginx's log names each request's upstream).
  expect(upstreamsOf("/merchants").size + upstreamsOf("/terminals").size + upstreamsOf("/transactions").size).toBeGreaterThan(0);
  const served = new Set([...["/merchants", "/terminals", "/transactions", "/audit", "/registers"].flatMap((p) => [...upstreamsOf(p)])]);
  expect([...served].sort()).toEqual(INSTANCES.map((i) => String(i.port)).sort());
  // The sign-in was audited once, whichever instance took it.
  const signIns = await rawQuery<{ n: number }>(db, "select count(*) as n from audit_log where action = 'auth.sign_in' and actor_email = ?", [ADMIN.email]);
  expect(Number(signIns[0]!.n)).toBe(1);
});

test("webhooks spread over both instances; the poller's holder killed with -9 mid-flood loses nothing answered 200, and the poller moves", async ({ page, request }) => {
  test.setTimeout(300_000);
  // An admin pairs a simulated terminal through the load balancer, as on one instance.
  await signIn(page, ADMIN.email, ADMIN.password);
  const terminalId = await simTerminal(request);
  await submitPairForm(page, { name: "Multi till", otp: await simOtp(request, terminalId), merchant: MERCHANT });
  await expect(page.getByText(/paired/i).first()).toBeVisible();
  const [pairing] = await rawQuery<{ token: string }>(db, "select p.webhook_token as token from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ? and p.status = 'active'", [terminalId]);
  expect(pairing?.token).toBeTruthy();
  const TOKEN = pairing!.token;
  // Pay-Connect's side (the simulator's file) holds the secret it signs with.
  const sim = new Database(path.join(dir, "simulator.db"), { readonly: true });
  const SECRET = (sim.prepare("select webhook_secret_key as k from pairings where terminal_id = ? and status = 'active'").get(terminalId) as { k: string }).k;
  sim.close();

  // The poller runs on one instance: the one to kill.
  const holder = await waitFor("an instance to hold the poller's lease", async () => (await health(LB_URL)).pollerHolder);
  const victim = INSTANCES.find((i) => i.name === holder)!;
  const survivor = INSTANCES.find((i) => i.name !== holder)!;
  expect(victim).toBeDefined();

  const TOTAL = 400;
  const body = (i: number) =>
    JSON.stringify([{ id: `multi-${i}`, status: "SUCCESS", amount: 100 + i, currency: "EUR", tags: ["charge"], created_at: new Date().toISOString() }]);
  const send = async (i: number): Promise<number> => {
    const text = body(i);
    try {
      const res = await fetch(`${LB_URL}/api/webhooks/pay-connect/${TOKEN}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Signature: createHmac("sha256", SECRET).update(text).digest("hex") },
        body: text,
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0; // the connection broke: nothing was acknowledged
    }
  };
  const answered = new Map<number, number>();
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (next < TOTAL) {
      const i = next++;
      if (i === 150 && !killed) {
        killed = true;
        await kill9(victim.name); // in the middle of the flood, with requests in flight on it
      }
      answered.set(i, await send(i));
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  const ok = [...answered].filter(([, s]) => s === 200).map(([i]) => i);
  const refused = [...answered].filter(([, s]) => s !== 200).map(([i]) => i);
  expect(ok.length).toBeGreaterThan(TOTAL / 2);

  // Both instances took deliveries before the kill (nginx's log says which upstream answered).
  expect([...upstreamsOf(`/api/webhooks/pay-connect/${TOKEN}`)].sort()).toEqual(INSTANCES.map((i) => String(i.port)).sort());

  // Every delivery answered 200 is stored, accepted, and applied: its transaction exists once.
  const stored = await rawQuery<{ id: string }>(db, "select provider_transaction_id as id from transactions where provider_transaction_id like 'multi-%'");
  const storedIds = new Set(stored.map((r) => r.id));
  expect(stored.length).toBe(storedIds.size);
  for (const i of ok) expect(storedIds.has(`multi-${i}`), `delivery ${i} was answered 200`).toBe(true);

  // Pay-Connect sends the others again: each is then applied once too, and nothing is doubled.
  for (const i of refused) expect(await send(i)).toBe(200);
  const all = await rawQuery<{ n: number; distinct: number }>(
    db,
    "select count(*) as n, count(distinct provider_transaction_id) as distinct from transactions where provider_transaction_id like 'multi-%'",
  );
  expect(Number(all[0]!.n)).toBe(TOTAL);
  expect(Number(all[0]!.distinct)).toBe(TOTAL);
  const events = await rawQuery<{ n: number }>(
    db,
    "select count(*) as n from transaction_events e join transactions t on t.id = e.transaction_ref where t.provider_transaction_id like 'multi-%' and e.source = 'webhook'",
  );
  expect(Number(events[0]!.n)).toBe(TOTAL);

  // The survivor takes the poller over once the dead holder's lease expires.
  await waitFor("the survivor to hold the poller's lease", async () => (await health(`http://127.0.0.1:${survivor.port}`)).pollerHolder === survivor.name);
  expect((await health(LB_URL)).pollerHolder).toBe(survivor.name);

  // Started again, the killed instance joins: the load balancer sends it requests again.
  await startInstance(victim.name, victim.port);
  const seen = await waitFor("the restarted instance to answer through the load balancer", async () => {
    const names = new Set<string>();
    for (let k = 0; k < 6; k++) names.add((await health(LB_URL)).instance);
    return names.has(victim.name) ? names : null;
  });
  expect([...seen].sort()).toEqual(INSTANCES.map((i) => i.name).sort());
  expect((await health(`http://127.0.0.1:${victim.port}`)).pollerHolder).toBe(survivor.name);
});

/** A row of the simulator's file (Pay-Connect's side), shared by both instances. */
function simulatorRow<T>(query: string, ...params: unknown[]): T | undefined {
  const sim = new Database(path.join(dir, "simulator.db"), { readonly: true });
  try {
    sim.pragma("busy_timeout = 5000");
    return sim.prepare(query).get(...params) as T | undefined;
  } finally {
    sim.close();
  }
}

test("an instance killed between Pay-Connect's 200 and the commit: the survivor leaves the attempt alone, and the pairing is completed through either instance", async ({ browser }) => {
  test.setTimeout(240_000);
  const victim = INSTANCES[0];
  const victimUrl = `http://127.0.0.1:${victim.port}`;
  // The admin pairs on the victim itself (its own address), so that the call is its.
  const ctx = await browser.newContext({ baseURL: victimUrl });
  const page = await ctx.newPage();
  await signIn(page, ADMIN.email, ADMIN.password, victimUrl);
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await simFault(page.request, "pair_slow", { terminalId, delayMs: 1_500 });
  await submitPairForm(page, { name: "Crash till", otp, merchant: MERCHANT });
  await waitFor("the simulator to take the pair call", async () => !simulatorRow("select 1 from faults where kind = 'pair_slow' and terminal_id = ?", terminalId));
  // While Pay-Connect answers, a test connection locks the terminals table: after the 200 the
  // victim's write waits on it, with the credentials already in its spool.
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  await lock.query("begin");
  await lock.query("lock table terminals in share row exclusive mode");
  const [attempt] = await rawQuery<{ id: number; status: string }>(db, "select id, status from pairing_attempts where name = 'Crash till'");
  expect(attempt?.status).toBe("pending");
  const sim = await waitFor("Pay-Connect's side of the pairing", async () =>
    simulatorRow<{ client_id: string; client_secret_sha256: string }>("select client_id, client_secret_sha256 from pairings where terminal_id = ? and status = 'active'", terminalId),
  );
  const spoolFile = path.join(dir, victim.name, "recovery", `attempt-${attempt!.id}.json`);
  await waitFor("the spool file", async () => fs.existsSync(spoolFile));
  await kill9(victim.name);
  await lock.query("rollback");
  await lock.end();
  await ctx.close();

  // The survivor does not take the attempt for abandoned: it may be in flight (it is not older
  // than a pair call can last), and nothing of it reached the database.
  expect((await rawQuery<{ status: string }>(db, "select status from pairing_attempts where id = ?", [attempt!.id]))[0]!.status).toBe("pending");
  expect(await rawQuery(db, "select id from terminals where terminal_id = ?", [terminalId])).toEqual([]);
  expect(fs.readFileSync(spoolFile, "utf8")).not.toContain("cs_");

  // Started again, the victim marks it and copies its record into the database.
  await startInstance(victim.name, victim.port);
  const marked = await waitFor("the attempt marked needs recovery", async () =>
    (await rawQuery<{ status: string; has_record: boolean }>(db, "select status, recovery_record is not null as has_record from pairing_attempts where id = ?", [attempt!.id])).find(
      (r) => r.status === "needs_recovery" && Boolean(r.has_record),
    ),
  );
  expect(marked).toBeTruthy();

  // An admin completes it through the balancer, whichever instance answers each request.
  const lbCtx = await browser.newContext({ baseURL: LB_URL });
  const admin = await lbCtx.newPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  const item = admin.getByTestId("needs-recovery").getByRole("listitem").filter({ hasText: terminalId });
  await expect(item).toHaveAttribute("data-source", "spool");
  await item.getByRole("button", { name: "Complete pairing" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: `Terminal ${terminalId}` })).toBeVisible();
  await lbCtx.close();

  const [after] = await rawQuery<{ status: string; has_record: boolean }>(db, "select status, recovery_record is not null as has_record from pairing_attempts where id = ?", [attempt!.id]);
  expect(after).toMatchObject({ status: "succeeded" });
  expect(Boolean(after!.has_record)).toBe(false);
  const pairing = await rawQuery<{ client_id: string; status: string }>(
    db,
    "select p.client_id, p.status from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ?",
    [terminalId],
  );
  expect(pairing).toEqual([{ client_id: sim.client_id, status: "active" }]);
});

/**
 * Restarts the test cluster (pg_ctl restart -m fast), when this run started it
 * (scripts/test/with-postgres.ts), in the background: the flood goes on meanwhile.
 */
function restartPostgres(): Promise<void> {
  const pgCtl = process.env.TEST_POSTGRES_PG_CTL!;
  // Its log to the cluster's file: to the pipe of this call, the server would die with it.
  const args = ["-D", process.env.TEST_POSTGRES_DATA!, "-l", process.env.TEST_POSTGRES_LOG!, "-m", "fast", "-w", "restart"];
  const runAs = process.env.TEST_POSTGRES_RUN_AS;
  const child = runAs ? spawn("runuser", ["-u", runAs, "--", pgCtl, ...args], { stdio: "ignore" }) : spawn(pgCtl, args, { stdio: "ignore" });
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl restart failed with exit code ${code}`)))),
  );
}

test("Postgres restarted in the middle of a webhook flood: every delivery answered 200 is applied once, the others were 5xx, and the instances reconnect by themselves", async () => {
  test.skip(!process.env.TEST_POSTGRES_DATA, "needs the cluster of scripts/test/with-postgres.ts (npm test starts one) to restart it");
  test.setTimeout(240_000);
  const [pairing] = await rawQuery<{ token: string; terminal_id: string }>(
    db,
    "select p.webhook_token as token, t.terminal_id from pairings p join terminals t on t.id = p.terminal_ref where p.status = 'active' and p.name = 'Multi till'",
  );
  const sim = simulatorRow<{ k: string }>("select webhook_secret_key as k from pairings where terminal_id = ? and status = 'active'", pairing!.terminal_id);
  const send = async (i: number): Promise<number> => {
    const text = JSON.stringify([{ id: `restart-${i}`, status: "SUCCESS", amount: 100 + i, currency: "EUR", tags: ["charge"], created_at: new Date().toISOString() }]);
    try {
      const res = await fetch(`${LB_URL}/api/webhooks/pay-connect/${pairing!.token}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Signature: createHmac("sha256", sim!.k).update(text).digest("hex") },
        body: text,
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  };
  const TOTAL = 300;
  const answered = new Map<number, number>();
  let next = 0;
  const restarts: Promise<void>[] = [];
  const worker = async () => {
    while (next < TOTAL) {
      const i = next++;
      if (i === 100) restarts.push(restartPostgres());
      answered.set(i, await send(i));
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  await Promise.all(restarts);
  expect(restarts).toHaveLength(1);
  const statuses = [...answered.values()];
  // Nothing but 200, or an answer that makes Pay-Connect send it again (5xx), or a cut connection.
  expect(statuses.filter((s) => s !== 200 && s !== 0 && s < 500)).toEqual([]);
  const ok = [...answered].filter(([, s]) => s === 200).map(([i]) => i);
  expect(ok.length).toBeGreaterThan(TOTAL / 3);

  // The instances reconnect without a restart: through the balancer, health is ok again.
  await waitFor("the instances to answer healthy after the restart", async () => (await health(LB_URL)).ok && (await health(LB_URL)).ok);
  const stored = new Set(
    (await rawQuery<{ id: string }>(db, "select provider_transaction_id as id from transactions where provider_transaction_id like 'restart-%'")).map((r) => r.id),
  );
  for (const i of ok) expect(stored.has(`restart-${i}`), `delivery ${i} was answered 200`).toBe(true);
  // Pay-Connect sends the others again; then each of the 300 is there once, with one webhook event.
  for (const [i, s] of answered) if (s !== 200) expect(await send(i)).toBe(200);
  const [counts] = await rawQuery<{ n: number; distinct: number; events: number }>(
    db,
    `select count(*) as n, count(distinct t.provider_transaction_id) as distinct,
            (select count(*) from transaction_events e join transactions x on x.id = e.transaction_ref where x.provider_transaction_id like 'restart-%' and e.source = 'webhook') as events
       from transactions t where t.provider_transaction_id like 'restart-%'`,
  );
  expect([Number(counts!.n), Number(counts!.distinct), Number(counts!.events)]).toEqual([TOTAL, TOTAL, TOTAL]);
});
