/**
 * The terminals and transactions pages at scale, over HTTP against `next start` (run `npx next
 * build` first): a scratch database seeded with 10,000 paired terminals and 1,000,000
 * transactions (one event each, over 90 days, mixed statuses), and the same pages on an empty
 * database (one terminal, no transactions) and on one with a single page of transactions, the
 * three served at once and their requests interleaved. Prints,
 * for each page, the median and p95 time to the last byte (the CSV export: to its first byte) and
 * the ratios (target ≤ 1.5× the empty database).
 *
 *   npm run bench:pages            (registers, then this)
 *   tsx --conditions=react-server scripts/bench/bench-transaction-pages.ts [--transactions 1000000 --runs 15 --quick]
 */
import "../server-only-stub";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    transactions: { type: "string", default: "1000000" },
    terminals: { type: "string", default: "10000" },
    runs: { type: "string", default: "15" },
    port: { type: "string", default: "3197" },
    /** Only the empty and one-page databases (a quick look at what drawing the rows costs). */
    quick: { type: "boolean", default: false },
  },
});
const TX = Number(values.transactions);
const TERMINALS = Number(values.terminals);
const runs = Number(values.runs);
const port = Number(values.port);
const STATUSES = ["SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS", "DECLINED", "CANCELED", "REVERTED", "EXPIRED", "FAILED", "IN_PROGRESS"];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

type Seeded = { terminalRef: number; deepCursor: string | null };

async function seed(dbPath: string, email: string, password: string, txCount: number): Promise<Seeded> {
  const { openDatabase } = await import("../../lib/db/open");
  const { createUser } = await import("../../lib/users/users");
  const db = openDatabase(dbPath);
  await createUser(db, { email, password, role: "admin" });
  const sqlite = db.$client;
  const merchants = [1, 2, 3, 4, 5].map(
    (i) => (sqlite.prepare("insert into merchants (name) values (?) returning id").get(`Bench merchant ${i}`) as { id: number }).id,
  );
  const userId = (sqlite.prepare("select id from users limit 1").get() as { id: number }).id;
  const terminalCount = txCount >= TX ? TERMINALS : txCount > 0 ? 10 : 1;
  const insertTerminal = sqlite.prepare("insert into terminals (merchant_id, environment, terminal_id, currency) values (?, ?, ?, 'EUR') returning id");
  const insertPairing = sqlite.prepare(
    "insert into pairings (terminal_ref, merchant_id, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id) values (?, ?, ?, ?, ?, 1, 'active', ?) returning id",
  );
  const terminals: { id: number; merchant: number; pairing: number }[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < terminalCount; i++) {
      const merchant = merchants[i % merchants.length]!;
      const t = insertTerminal.get(merchant, i % 4 === 0 ? "production" : "sandbox", `BT-${String(i).padStart(6, "0")}`) as { id: number };
      const p = insertPairing.get(t.id, merchant, `pc-${i}`, `Till ${i}`, `cl-${i}`, userId) as { id: number };
      terminals.push({ id: t.id, merchant, pairing: p.id });
    }
  })();
  const count = txCount;
  const insertTx = sqlite.prepare(
    `insert into transactions (merchant_id, environment, terminal_ref, pairing_id, provider_transaction_id, client_transaction_id, kind,
       amount, currency, status, status_source, status_changed_at, last_seen_at, created_at, updated_at, completed_at)
     values (?, 'sandbox', ?, ?, ?, ?, 'charge', ?, 'EUR', ?, 'webhook', ?, ?, ?, ?, ?)`,
  );
  const insertEvent = sqlite.prepare(
    "insert into transaction_events (transaction_ref, status, source, effect, fingerprint, at) values (?, ?, 'webhook', 'created', ?, ?)",
  );
  const now = Date.now();
  const span = 90 * 86_400_000;
  const started = performance.now();
  const BATCH = 50_000;
  for (let from = 0; from < count; from += BATCH) {
    sqlite.transaction(() => {
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        const t = terminals[(i * 7919) % terminals.length]!;
        const at = now - span + Math.floor((i / count) * span);
        const status = STATUSES[i % STATUSES.length]!;
        const id = insertTx.run(t.merchant, t.id, t.pairing, `ptx-${i.toString(36).padStart(8, "0")}-${randomBytes(4).toString("hex")}`, null, 100 + (i % 9000), status, at + 5000, at + 5000, at, at, status === "SUCCESS" ? at + 5000 : null).lastInsertRowid;
        insertEvent.run(id, status, `fp-${i}`, at + 5000);
      }
    })();
  }
  if (count > 0) {
    console.log(`Seeded ${terminalCount.toLocaleString("en-US")} terminals and ${count.toLocaleString("en-US")} transactions in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    sqlite.exec("analyze");
  }
  const deep = count > 0 ? (sqlite.prepare("select created_at as at, id from transactions order by created_at desc, id desc limit 1 offset ?").get(Math.floor(count * 0.9)) as { at: number; id: number }) : null;
  db.close();
  return { terminalRef: terminals[0]!.id, deepCursor: deep ? `${deep.at}.${deep.id}` : null };
}

function keep(jar: Map<string, string>, res: Response) {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

type Started = { label: string; origin: string; cookie: string; seeded: Seeded; stop: () => Promise<void> };

/** A scratch database with `txCount` transactions, `next start` on it at `port`, and a signed-in session. */
async function start(label: string, txCount: number, port: number): Promise<Started> {
  const origin = `http://127.0.0.1:${port}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-bench-tx-"));
  const dbPath = path.join(dir, "pairdesk.db");
  const password = randomBytes(18).toString("base64url");
  const email = "bench-admin@pairdesk.local";
  const env = { ...process.env, NODE_ENV: "production" as const, PAIRDESK_MODE: "demo", PAIRDESK_SIMULATOR: "off", PAIRDESK_POLLER: "off", DATABASE_PATH: dbPath, PUBLIC_URL: origin, LOG_LEVEL: "warn" };
  Object.assign(process.env, env);
  const seeded = await seed(dbPath, email, password, txCount);
  const server = spawn(path.join(process.cwd(), "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], { env, stdio: ["ignore", "ignore", "inherit"] });
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      const late = setTimeout(() => server.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(late);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${origin}/api/health`).then((r) => r.status < 500, () => false)) break;
      if (i > 240) throw new Error("the server did not answer /api/health within a minute");
      await new Promise((r) => setTimeout(r, 250));
    }
    const jar = new Map<string, string>();
    const csrf = await fetch(`${origin}/api/auth/csrf`);
    keep(jar, csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    keep(
      jar,
      await fetch(`${origin}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar) },
        body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${origin}/`, json: "true" }),
      }),
    );
    const probe = await fetch(`${origin}/transactions`, { headers: { Cookie: cookieHeader(jar) }, redirect: "manual" });
    if (probe.status !== 200) throw new Error(`signing in failed: /transactions answered ${probe.status}`);
    return { label, origin, cookie: cookieHeader(jar), seeded, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

type Figures = { median: number; p95: number; status: number };

/**
 * Every page on every database, the requests interleaved (empty, one page, full, empty, …), so
 * that whatever else the machine does at the time weighs on all three alike.
 */
async function measure(servers: Started[]): Promise<Map<string, Map<string, Figures>>> {
  const pages: [string, (s: Seeded) => string, "body" | "first-byte"][] = [
    ["Terminals, first page", () => "/terminals", "body"],
    ["Transactions, first page", () => "/transactions", "body"],
    ["Transactions, filtered (declined)", () => "/transactions?status=DECLINED", "body"],
    ["Transactions, one terminal", (s) => `/transactions?terminal=${s.terminalRef}`, "body"],
    ["Transactions, deep page (row 900,000)", (s) => (s.deepCursor ? `/transactions?after=${s.deepCursor}` : "/transactions"), "body"],
    ["Transactions, sorted by last update", () => "/transactions?sort=-updated", "body"],
    // Issue 16: search and the filters no index serves (looked for within a window per page).
    ["Transactions, search an amount (12.50)", () => "/transactions?q=12.50", "body"],
    ["Transactions, search a terminal id", () => "/transactions?q=BT-000123", "body"],
    ["Transactions, search a pairing name", () => "/transactions?q=Till%2012", "body"],
    ["Transactions, kind refund (none)", () => "/transactions?kind=refund", "body"],
    ["Transactions CSV, first byte", () => "/api/transactions/export", "first-byte"],
  ];
  const out = new Map<string, Map<string, Figures>>();
  for (const [name, urlOf, mode] of pages) {
    const get = async (s: Started) => {
      const t0 = performance.now();
      const res = await fetch(`${s.origin}${urlOf(s.seeded)}`, { headers: { Cookie: s.cookie }, redirect: "manual" });
      if (mode === "first-byte") {
        const reader = res.body!.getReader();
        await reader.read();
        const ms = performance.now() - t0;
        await reader.cancel();
        return { ms, status: res.status };
      }
      await res.text();
      return { ms: performance.now() - t0, status: res.status };
    };
    const times = new Map(servers.map((s) => [s.label, [] as number[]]));
    const statuses = new Map<string, number>();
    for (let i = 0; i < 3; i++) for (const s of servers) await get(s);
    for (let i = 0; i < runs; i++) {
      for (const s of servers) {
        const r = await get(s);
        times.get(s.label)!.push(r.ms);
        statuses.set(s.label, r.status);
      }
    }
    out.set(
      name,
      new Map(
        servers.map((s) => {
          const t = times.get(s.label)!.sort((a, b) => a - b);
          return [s.label, { median: percentile(t, 0.5), p95: percentile(t, 0.95), status: statuses.get(s.label)! }];
        }),
      ),
    );
  }
  return out;
}

async function main() {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.error("No production build: run `npx next build` first.");
    process.exit(1);
  }
  const servers: Started[] = [];
  try {
    console.log("Empty database (one terminal, no transactions)…");
    servers.push(await start("empty", 0, port));
    console.log("One page of transactions (10 terminals, 120 transactions)…");
    servers.push(await start("one page", 120, port + 1));
    if (!values.quick) {
      console.log(`Seeding ${TERMINALS.toLocaleString("en-US")} terminals and ${TX.toLocaleString("en-US")} transactions…`);
      servers.push(await start("full", TX, port + 2));
    }
    const figures = await measure(servers);
    const full = values.quick ? "one page" : "full";
    console.table(
      [...figures].map(([page, f]) => {
        const e = f.get("empty")!;
        const o = f.get("one page")!;
        const x = f.get(full)!;
        return {
          page,
          status: x.status,
          "empty ms": Number(e.median.toFixed(1)),
          "one page ms": Number(o.median.toFixed(1)),
          "full ms": Number(x.median.toFixed(1)),
          "full p95 ms": Number(x.p95.toFixed(1)),
          "× empty": Number((x.median / e.median).toFixed(2)),
          "× one page": Number((x.median / o.median).toFixed(2)),
        };
      }),
    );
    console.log(
      "Medians of the time to the last byte (the CSV: to its first byte), the three databases' requests interleaved. Target: ≤ 1.5× the empty database. An empty page renders no rows, so '× one page' (the same rows drawn, on 120 transactions) is what the million rows themselves cost.",
    );
  } finally {
    for (const s of servers) await s.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
