/**
 * The webhook endpoint under load, against `next start` (run `npx next build` first): a scratch
 * database with one pairing whose webhook secret is known, then N signed deliveries (each a new
 * transaction) sent over C concurrent connections, and the same load on the no-op route
 * /api/ping of the same server. Prints the throughput of both and their ratio, p50/p99 latency,
 * and how many deliveries the database holds against how many were sent and answered 200.
 * Targets: ratio ≥ 0.8, p99 < 50 ms at 50 connections, none lost.
 *
 *   npm run bench:webhooks [-- --deliveries 5000 --concurrency 50 --port 3198]
 */
import "../server-only-stub";
import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { returnedRow } from "../../lib/db/query";

const { values } = parseArgs({
  options: {
    deliveries: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "50" },
    port: { type: "string", default: "3198" },
  },
});
const total = Number(values.deliveries);
const concurrency = Number(values.concurrency);
const port = Number(values.port);
const origin = `http://127.0.0.1:${port}`;
const SECRET = "whsec_bench_0123456789abcdefghijklmnopqrstuv";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

type Run = { seconds: number; latencies: number[]; ok: number; statuses: Map<number, number> };

async function load(makeRequest: (i: number) => { url: string; init: RequestInit }, count = total): Promise<Run> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  let ok = 0;
  const started = performance.now();
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
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b), ok, statuses };
}

async function main() {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.error("No production build: run `npx next build` first.");
    process.exit(1);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-bench-webhooks-"));
  const dbPath = path.join(dir, "pairdesk.db");
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    PAIRDESK_MODE: "demo",
    PAIRDESK_SIMULATOR: "off",
    PAIRDESK_POLLER: "off",
    DATABASE_PATH: dbPath,
    PUBLIC_URL: origin,
    PAY_CONNECT_SANDBOX_INTEGRATOR_ID: "bench",
    LOG_LEVEL: "warn",
  };
  Object.assign(process.env, env);
  const { openDatabase } = await import("../../lib/db/open");
  const { createUser } = await import("../../lib/users/users");
  const { pairTerminal } = await import("../../lib/pairing/pair-terminal");
  const { merchants } = await import("../../lib/db/schema");
  const db = openDatabase(dbPath);
  const merchantId = (await returnedRow(db.transaction((tx) => tx.insert(merchants).values({ name: "Bench merchant" }).returning({ id: merchants.id })))).id;
  const actor = await createUser(db, { email: "bench@pairdesk.local", password: randomBytes(18).toString("base64url"), role: "admin" });
  const token = "bench-webhook-token-0123456789";
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
    { requestKey: "00000000-0000-4000-a000-000000000001", merchantId, environment: "sandbox", name: "Bench till", otp: "BENCH234", webhookUrl: `${origin}/api/webhooks/pay-connect/${token}`, webhookToken: token },
    actor,
  );
  if (paired.kind !== "paired") throw new Error(`the bench pairing failed: ${JSON.stringify(paired)}`);
  db.close();

  const server = spawn(path.join(process.cwd(), "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(`${origin}/api/health`).then((r) => r.status < 500, () => false);
      if (up) break;
      if (i > 240) throw new Error("the server did not answer /api/health within a minute");
      await new Promise((r) => setTimeout(r, 250));
    }
    const body = (i: number, prefix = "bench") =>
      JSON.stringify([{ id: `${prefix}-${i}`, status: "SUCCESS", amount: 100 + (i % 900), currency: "EUR", tags: ["charge"], created_at: new Date().toISOString() }]);
    const signed = (i: number, prefix = "bench") => {
      const text = body(i, prefix);
      return {
        url: `${origin}/api/webhooks/pay-connect/${token}`,
        init: { method: "POST", headers: { "Content-Type": "application/json", Signature: createHmac("sha256", SECRET).update(text).digest("hex") }, body: text },
      };
    };
    const noop = (i: number) => ({ url: `${origin}/api/ping`, init: { method: "POST", headers: { "Content-Type": "application/json" }, body: body(i) } });
    // Warm up both routes under the same load first (JIT, the secret cache, the prepared
    // statements, the group commit's batches): a cold server spends its first seconds compiling,
    // and whichever route ran second would otherwise get a warm one. Not counted.
    const WARM = Math.min(2000, total);
    await load((i) => signed(i, "warm"), WARM);
    await load(noop, WARM);
    const hooks = await load(signed);
    const ping = await load(noop);
    const check = openDatabase(dbPath, { migrate: false });
    // The warm-up's deliveries ("warm-…" ids) are left out of both counts.
    const stored = (
      check.$client
        .prepare("select count(*) as n from webhook_deliveries where verdict = 'accepted' and event_count = 1 and cast(body as text) like '%\"bench-%'")
        .get() as { n: number }
    ).n;
    const created = (check.$client.prepare("select count(*) as n from transactions where provider_transaction_id like 'bench-%'").get() as { n: number }).n;
    check.close();
    const rate = (r: Run) => total / r.seconds;
    const fmt = (n: number) => n.toFixed(1);
    console.log(`\n${total.toLocaleString("en-US")} requests over ${concurrency} connections, next start on ${os.cpus().length} cores (SQLite synchronous=FULL)`);
    console.table([
      { route: "POST /api/webhooks/pay-connect/<token>", "req/s": fmt(rate(hooks)), "p50 ms": fmt(percentile(hooks.latencies, 0.5)), "p90 ms": fmt(percentile(hooks.latencies, 0.9)), "p99 ms": fmt(percentile(hooks.latencies, 0.99)), "answered 200": hooks.ok },
      { route: "POST /api/ping (no-op)", "req/s": fmt(rate(ping)), "p50 ms": fmt(percentile(ping.latencies, 0.5)), "p90 ms": fmt(percentile(ping.latencies, 0.9)), "p99 ms": fmt(percentile(ping.latencies, 0.99)), "answered 200": ping.ok },
    ]);
    console.log(`Throughput ratio (webhooks / no-op): ${(rate(hooks) / rate(ping)).toFixed(2)}   (target ≥ 0.8)`);
    console.log(
      `Webhook p99: ${fmt(percentile(hooks.latencies, 0.99))} ms   (target < 50 ms); the no-op's own p99: ${fmt(percentile(ping.latencies, 0.99))} ms. ` +
        `With ${concurrency} requests always in flight, a request waits for those ahead of it: the mean latency is about connections ÷ throughput ` +
        `(${fmt((concurrency / rate(ping)) * 1000)} ms for the no-op), whatever the route does.`,
    );
    console.log(`Deliveries sent ${total}, answered 200: ${hooks.ok}, stored and applied: ${stored}, transactions created: ${created} (warm-up excluded; target: none lost)`);
    if (hooks.ok !== total) console.log(`Other answers: ${JSON.stringify(Object.fromEntries(hooks.statuses))}`);
  } finally {
    server.kill("SIGTERM");
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
