/**
 * The webhook endpoint under load, against `next start` (run `npx next build` first), in two
 * settings, each on a scratch database with one pairing whose webhook secret is known:
 *
 * - quiet: LOG_LEVEL=warn and PAIRDESK_POLLER=off (the endpoint alone);
 * - deployed: what a deployment runs: info logs (read from the server's standard output through
 *   a pipe, as a log collector does) and the poller on, following every new transaction (each
 *   successful one has a print slip to fetch) against a Pay-Connect stand-in in this process that
 *   answers the token, status and print-slip calls after `--provider-ms`, as a remote provider
 *   would.
 *
 * Each round sends `--deliveries` signed deliveries (each a new transaction) over
 * `--concurrency` connections, then the same load on the no-op route /api/ping of the same
 * server with a body of the same size (the floor). Prints each round's throughput and latency,
 * the ratio of the two, how many deliveries the database holds against how many were answered
 * 200, and (deployed) the poller's lag during the burst and how long its backlog took to drain.
 * Targets: ratio ≥ 0.8 and the webhook's p99 within 1.5× the floor's, in both settings; none lost.
 *
 *   npm run bench:webhooks [-- --engine sqlite|postgres --settings quiet,deployed --rounds 8 --deliveries 1500
 *                              --concurrency 50 --port 3198 --provider-ms 40 --profile DIR]
 */
import "../server-only-stub";
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    settings: { type: "string", default: "quiet,deployed" },
    rounds: { type: "string", default: "8" },
    deliveries: { type: "string", default: "1500" },
    concurrency: { type: "string", default: "50" },
    port: { type: "string", default: "3198" },
    "provider-ms": { type: "string", default: "40" },
    /** sqlite (a scratch file), or postgres: a scratch database on BENCH_DATABASE_URL or TEST_DATABASE_URL's server. */
    engine: { type: "string", default: "sqlite" },
    /** A folder: the server runs with --cpu-prof and writes its CPU profile there when it stops. */
    profile: { type: "string" },
  },
});
/** `logs` (info logs, the poller off) is not run by default: it tells the logs' share from the poller's. */
const SETTINGS = ["quiet", "logs", "deployed"] as const;
type Setting = (typeof SETTINGS)[number];
const settings = values.settings.split(",").map((s) => s.trim()) as Setting[];
for (const s of settings) if (!SETTINGS.includes(s)) throw new Error(`--settings takes ${SETTINGS.join(", ")}; got ${s}`);
const rounds = Number(values.rounds);
const total = Number(values.deliveries);
const concurrency = Number(values.concurrency);
const port = Number(values.port);
const providerPort = port + 1;
const providerMs = Number(values["provider-ms"]);
const origin = `http://127.0.0.1:${port}`;
const SECRET = "whsec_bench_0123456789abcdefghijklmnopqrstuv";
const TOKEN = "bench-webhook-token-0123456789";
// One vault key and session secret for the whole run: this process seeds each setting's database
// with the configuration it read first (lib/env.ts reads it once), and the server must open it.
const SECRETS = { VAULT_KEY: randomBytes(32).toString("base64"), AUTH_SECRET: randomBytes(32).toString("base64url") };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
const fmt = (n: number, digits = 1) => n.toFixed(digits);

type Run = { seconds: number; latencies: number[]; ok: number; statuses: Map<number, number>; cpuMs: number; clientCpuMs: number };

/** The CPU time a process has used so far (user + system, all its threads), in milliseconds; 0 where /proc is not there. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // Fields 14 and 15 (utime, stime) of proc(5), counted from the state (field 3) here.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
let serverPid: number | undefined;

async function load(makeRequest: (i: number) => { url: string; init: RequestInit }, count = total): Promise<Run> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  let ok = 0;
  const started = performance.now();
  const cpuBefore = cpuMsOf(serverPid);
  const clientBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const { url, init } = makeRequest(i);
        const t0 = performance.now();
        const res = await fetch(url, init);
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200) ok += 1;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b), ok, statuses, cpuMs: cpuMsOf(serverPid) - cpuBefore, clientCpuMs: ((c) => (c.user + c.system) / 1000)(process.cpuUsage(clientBefore)) };
}

/**
 * Pay-Connect as a deployment meets it: another machine, each answer after `providerMs`. It
 * answers the calls the poller makes (token, a transaction's status, its print slip) in the
 * documented shapes, and counts them.
 */
function startProviderStandIn(): Promise<{ server: http.Server; calls: Map<string, number> }> {
  const calls = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = req.url ?? "";
      let kind = "other";
      let body: unknown = { detail: "Not found." };
      let status = 404;
      const slip = /^\/v1\/pay-connect\/transactions\/([^/]+)\/print-slip\/$/.exec(url);
      const transaction = /^\/v1\/pay-connect\/transactions\/([^/]+)\/$/.exec(url);
      if (req.method === "POST" && url === "/v1/auth/token/") {
        kind = "token";
        status = 200;
        body = { access_token: `bench-access-${randomBytes(8).toString("hex")}`, token_type: "Bearer", expires_in: "3600" };
      } else if (req.method === "GET" && slip) {
        kind = "print-slip";
        status = 200;
        body = {
          transaction_id: decodeURIComponent(slip[1]!),
          terminal_id: "BENCH-1",
          organization: { full_name: "Bench merchant", country: "LT", city: "Vilnius" },
          point_of_sale: { full_name: "Bench till" },
          amount: 100,
          total_amount: 100,
          currency: "EUR",
          status: "SUCCESS",
          payment_method: "card",
          card_number: "**** 4242",
          approve_code: "123456",
          created_at: new Date().toISOString(),
        };
      } else if (req.method === "GET" && transaction) {
        kind = "status";
        status = 200;
        body = { id: decodeURIComponent(transaction[1]!), status: "SUCCESS", amount: 100, currency: "EUR", tags: ["charge"] };
      }
      calls.set(kind, (calls.get(kind) ?? 0) + 1);
      setTimeout(() => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      }, providerMs);
    });
  });
  return new Promise((resolve) => server.listen(providerPort, "127.0.0.1", () => resolve({ server, calls })));
}

/** A scratch database with one pairing whose webhook secret is SECRET. */
async function seedDatabase(dbPath: string): Promise<void> {
  const { openDatabase } = await import("../../lib/db/open");
  const { returnedRow } = await import("../../lib/db/query");
  const { createUser } = await import("../../lib/users/users");
  const { pairTerminal } = await import("../../lib/pairing/pair-terminal");
  const { merchants } = await import("../../lib/db/schema");
  const db = openDatabase(dbPath);
  const merchantId = (await returnedRow(db.transaction((tx) => tx.insert(merchants).values({ name: "Bench merchant" }).returning({ id: merchants.id })))).id;
  const actor = await createUser(db, { email: "bench@pairdesk.local", password: randomBytes(18).toString("base64url"), role: "admin" });
  const paired = await pairTerminal(
    db,
    {
      provider: "bench",
      label: "Bench",
      environment: "sandbox",
      unavailableReason: null,
      pairTimeoutMs: 1000,
      pair: async () => ({
        payConnectId: "pc-bench",
        payConnectName: "Bench till",
        terminalId: "BENCH-1",
        clientId: "client-bench",
        clientSecret: "cs_bench_0123456789abcdefghijklmnop",
        webhookSecretKey: SECRET,
      }),
    },
    { requestKey: "00000000-0000-4000-a000-000000000001", merchantId, environment: "sandbox", name: "Bench till", otp: "BENCH234", webhookUrl: `${origin}/api/webhooks/pay-connect/${TOKEN}`, webhookToken: TOKEN },
    actor,
  );
  if (paired.kind !== "paired") throw new Error(`the bench pairing failed: ${JSON.stringify(paired)}`);
  await db.end();
}

/** The poller's state, sampled from the database while the load runs (read-only; the server writes). */
type Sample = { at: number; lagMs: number; backlog: number; oldestDueMs: number };
async function sampler(target: string) {
  const { openDatabase, rawQuery } = await import("../../lib/db/open");
  const db = openDatabase(target, { migrate: false });
  const samples: Sample[] = [];
  const take = async () => {
    const now = Date.now();
    const [d] = await rawQuery<{ n: number; oldest: number | null }>(db, "select count(*) as n, min(next_poll_at) as oldest from transactions where next_poll_at is not null");
    const [w] = await rawQuery<{ lag: number | null }>(db, "select lag_ms as lag from workers where name = 'poller'");
    const sample = { at: now, lagMs: Number(w?.lag ?? 0), backlog: Number(d?.n ?? 0), oldestDueMs: d?.oldest == null ? 0 : Math.max(0, now - Number(d.oldest)) };
    samples.push(sample);
    return sample;
  };
  let timer: NodeJS.Timeout | null = null;
  return {
    samples,
    take,
    start: () => {
      timer = setInterval(() => void take().catch(() => undefined), 500);
    },
    stop: () => {
      if (timer) clearInterval(timer);
      timer = null;
    },
    close: () => db.end(),
  };
}

type RoundFigures = { hooks: Run; ping: Run };
type SettingFigures = {
  setting: Setting;
  rounds: RoundFigures[];
  stored: number;
  created: number;
  slips: number;
  logLines: number;
  burst?: { maxLagMs: number; maxWaitMs: number; maxBacklog: number; drainSeconds: number | null; calls: Record<string, number> };
};

/** A scratch database for one setting: a SQLite file, or a new database on the Postgres server. */
async function scratchDatabase(setting: Setting, dir: string): Promise<string> {
  if (values.engine === "sqlite") return path.join(dir, "pairdesk.db");
  if (values.engine !== "postgres") throw new Error(`--engine takes sqlite or postgres; got ${values.engine}`);
  const admin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error("--engine postgres needs BENCH_DATABASE_URL (or run it under scripts/test/with-postgres.ts)");
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const name = `bench_${setting}_${randomBytes(3).toString("hex")}`;
  await client.query(`create database "${name}"`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

async function runSetting(setting: Setting): Promise<SettingFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pairdesk-bench-webhooks-${setting}-`));
  const dbPath = await scratchDatabase(setting, dir);
  const onPostgres = values.engine === "postgres";
  const deployed = setting === "deployed";
  const logs = setting !== "quiet";
  const env = {
    ...process.env,
    ...SECRETS,
    NODE_ENV: "production" as const,
    PAIRDESK_MODE: "demo",
    PAIRDESK_SIMULATOR: "off",
    PAIRDESK_POLLER: deployed ? "on" : "off",
    DATABASE_PATH: onPostgres ? path.join(dir, "unused.db") : dbPath,
    ...(onPostgres ? { DATABASE_URL: dbPath } : {}),
    PUBLIC_URL: origin,
    PAY_CONNECT_SANDBOX_INTEGRATOR_ID: "bench",
    PAY_CONNECT_SANDBOX_URL: `http://127.0.0.1:${providerPort}`,
    LOG_LEVEL: logs ? "info" : "warn",
  };
  Object.assign(process.env, env);
  await seedDatabase(dbPath);
  const provider = deployed ? await startProviderStandIn() : null;

  let logLines = 0;
  const profile = values.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(values.profile, setting)}`] : [];
  const next = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const nodeFlags = (process.env.BENCH_SERVER_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const server: ChildProcess = spawn(process.execPath, [...nodeFlags, ...profile, next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    env,
    stdio: ["ignore", logs ? "pipe" : process.env.BENCH_SERVER_LOG ? "inherit" : "ignore", "inherit"],
  });
  serverPid = server.pid;
  const killServer = () => server.kill("SIGKILL");
  process.once("exit", killServer);
  // The log collector: reads every line as it comes, as a deployment's would.
  server.stdout?.on("data", (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) logLines += 1;
    if (process.env.BENCH_SERVER_LOG) process.stdout.write(chunk);
  });
  const watch = () => sampler(dbPath);
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(`${origin}/api/health`).then((r) => r.status < 500, () => false);
      if (up) break;
      if (i > 240) throw new Error("the server did not answer /api/health within a minute");
      await new Promise((r) => setTimeout(r, 250));
    }
    const body = (i: number, prefix: string) =>
      JSON.stringify([{ id: `${prefix}-${i}`, status: "SUCCESS", amount: 100 + (i % 900), currency: "EUR", tags: ["charge"], created_at: new Date().toISOString() }]);
    const signed = (prefix: string) => (i: number) => {
      const text = body(i, prefix);
      return {
        url: `${origin}/api/webhooks/pay-connect/${TOKEN}`,
        init: { method: "POST", headers: { "Content-Type": "application/json", Signature: createHmac("sha256", SECRET).update(text).digest("hex") }, body: text },
      };
    };
    const noop = (i: number) => ({ url: process.env.BENCH_PING_URL ? `${origin}${process.env.BENCH_PING_URL}` : `${origin}/api/ping`, init: { method: "POST", headers: { "Content-Type": "application/json" }, body: body(i, "bench-0") } });
    // Warm up both routes under the same load first (JIT, the secret cache, the prepared
    // statements, the group commit's batches): a cold server spends its first seconds compiling,
    // and whichever route ran first would otherwise carry it. Not counted.
    const WARM = Math.min(2000, total);
    await load(signed("warm"), WARM);
    await load(noop, WARM);
    const s = await watch();
    s.start();
    const figures: RoundFigures[] = [];
    // Short rounds, the two routes in turn and each round in the other order (webhook then floor,
    // floor then webhook, …): a shared machine's speed drifts, and a pair of neighbouring runs
    // sees the same drift. The median of the rounds' ratios is the figure.
    for (let r = 1; r <= rounds; r++) {
      const bodies = Array.from({ length: total }, (_, i) => signed(`bench-${r}`)(i));
      const hooksLoad = () => load((i) => bodies[i]!);
      if (r % 2 === 1) {
        const hooks = await hooksLoad();
        figures.push({ hooks, ping: await load(noop) });
      } else {
        const ping = await load(noop);
        figures.push({ hooks: await hooksLoad(), ping });
      }
    }
    const burstEnd = Date.now();
    s.stop();
    let drainSeconds: number | null = null;
    if (deployed) {
      // How long the poller takes to catch up once the burst is over (every slip fetched).
      for (;;) {
        const now = await s.take();
        if (now.backlog === 0) {
          drainSeconds = (now.at - burstEnd) / 1000;
          break;
        }
        if (now.at - burstEnd > 300_000) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await s.close();

    const { openDatabase, rawQuery } = await import("../../lib/db/open");
    const check = openDatabase(dbPath, { migrate: false });
    const count = async (sql: string) => Number((await rawQuery<{ n: number }>(check, sql))[0]?.n ?? 0);
    // The warm-up's deliveries ("warm-…" ids) are left out of the counts.
    const bodyText = onPostgres ? "convert_from(body, 'UTF8')" : "cast(body as text)";
    const stored = await count(`select count(*) as n from webhook_deliveries where verdict = 'accepted' and event_count = 1 and ${bodyText} like '%"bench-%'`);
    const created = await count("select count(*) as n from transactions where provider_transaction_id like 'bench-%'");
    const slips = await count("select count(*) as n from transactions where provider_transaction_id like 'bench-%' and slip_fetched_at is not null");
    await check.end();
    const during = s.samples.filter((x) => x.at <= burstEnd);
    return {
      setting,
      rounds: figures,
      stored,
      created,
      slips,
      logLines,
      burst: provider
        ? {
            maxLagMs: Math.max(0, ...during.map((x) => x.lagMs)),
            maxWaitMs: Math.max(0, ...during.map((x) => x.oldestDueMs)),
            maxBacklog: Math.max(0, ...during.map((x) => x.backlog)),
            drainSeconds,
            calls: Object.fromEntries(provider.calls),
          }
        : undefined,
    };
  } finally {
    process.off("exit", killServer);
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
    provider?.server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(f: SettingFigures): boolean {
  const rate = (r: Run) => total / r.seconds;
  const row = (name: string, r: Run) => ({
    route: name,
    "req/s": fmt(rate(r)),
    "p50 ms": fmt(percentile(r.latencies, 0.5)),
    "p99 ms": fmt(percentile(r.latencies, 0.99)),
    "server CPU µs/req": Math.round((r.cpuMs * 1000) / total),
    "load generator CPU µs/req": Math.round((r.clientCpuMs * 1000) / total),
    "200s": r.ok,
  });
  const label =
    f.setting === "quiet"
      ? "quiet (LOG_LEVEL=warn, PAIRDESK_POLLER=off)"
      : f.setting === "logs"
        ? "info logs read through a pipe, PAIRDESK_POLLER=off"
        : `as deployed (LOG_LEVEL=info read through a pipe, PAIRDESK_POLLER=on, Pay-Connect answering in ${providerMs} ms)`;
  console.log(`\n== ${label}: ${rounds} rounds of ${total.toLocaleString("en-US")} requests a route over ${concurrency} connections, next start on ${os.cpus().length} cores (${values.engine === "postgres" ? "Postgres on this machine, synchronous_commit on, fsync off: a throwaway cluster" : "SQLite synchronous=FULL"})`);
  console.table(f.rounds.flatMap((r, i) => [row(`${i + 1}: webhook`, r.hooks), row(`${i + 1}: /api/ping (floor)`, r.ping)]));
  const ratios = f.rounds.map((r) => rate(r.hooks) / rate(r.ping));
  const hooksAll = f.rounds.flatMap((r) => r.hooks.latencies).sort((a, b) => a - b);
  const pingAll = f.rounds.flatMap((r) => r.ping.latencies).sort((a, b) => a - b);
  const hookSeconds = f.rounds.reduce((a, r) => a + r.hooks.seconds, 0);
  const pingSeconds = f.rounds.reduce((a, r) => a + r.ping.seconds, 0);
  const ratio = pingSeconds / hookSeconds;
  const p99 = percentile(hooksAll, 0.99);
  const floorP99 = percentile(pingAll, 0.99);
  const sent = total * rounds;
  const answered = f.rounds.reduce((a, r) => a + r.hooks.ok, 0);
  const median = [...ratios].sort((a, b) => a - b)[Math.floor((ratios.length - 1) / 2)]!;
  console.log(
    `Throughput ratio, webhook / floor: median of the rounds ${fmt(median, 2)}, over all rounds ${fmt(ratio, 2)} (each round ${ratios.map((x) => fmt(x, 2)).join(", ")})   target ≥ 0.8`,
  );
  console.log(`p99: webhook ${fmt(p99)} ms, floor ${fmt(floorP99)} ms: ${fmt(p99 / floorP99, 2)}×   target ≤ 1.5×`);
  console.log(`Deliveries sent ${sent}, answered 200: ${answered}, stored and applied: ${f.stored}, transactions created: ${f.created}   target: none lost`);
  for (const [i, r] of f.rounds.entries()) if (r.hooks.ok !== total) console.log(`Round ${i + 1}'s other answers: ${JSON.stringify(Object.fromEntries(r.hooks.statuses))}`);
  if (f.setting !== "quiet") console.log(`Log lines read from the server: ${f.logLines.toLocaleString("en-US")}`);
  if (f.burst) {
    console.log(
      `Poller during the burst: its lag (open payments, /api/health) up to ${fmt(f.burst.maxLagMs / 1000)} s; print slips waited up to ${fmt(f.burst.maxWaitMs / 1000)} s, ` +
        `up to ${f.burst.maxBacklog.toLocaleString("en-US")} transactions due; ` +
        (f.burst.drainSeconds === null ? "its backlog had not drained 5 minutes after the burst" : `caught up ${fmt(f.burst.drainSeconds)} s after the burst`) +
        `; slips fetched ${f.slips.toLocaleString("en-US")} of ${f.created.toLocaleString("en-US")}; Pay-Connect calls ${JSON.stringify(f.burst.calls)}`,
    );
  }
  return median >= 0.8 && p99 / floorP99 <= 1.5 && answered === sent && f.stored === sent && f.created === sent;
}

async function main() {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.error("No production build: run `npx next build` first.");
    process.exit(1);
  }
  const verdicts: string[] = [];
  for (const setting of settings) {
    const figures = await runSetting(setting);
    verdicts.push(`${setting}: ${report(figures) ? "targets met" : "targets NOT met"}`);
  }
  console.log(`\n${verdicts.join("; ")}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
