/**
 * The terminals and transactions pages at scale, over HTTP against `next start` (run `npx next
 * build` first): a scratch database seeded with 10,000 paired terminals and 1,000,000
 * transactions (one event each, over 90 days, mixed statuses), and the same pages on an empty
 * database (one terminal, no transactions) and on one with a single page of transactions. Prints,
 * for each page, the median and p95 time to the last byte (the CSV export: to its first byte) and
 * the ratios (target ≤ 1.5× the empty database).
 *
 *   npm run bench:pages            (registers, then this)
 *   tsx --conditions=react-server scripts/bench-transaction-pages.ts [--transactions 1000000 --runs 15 --quick]
 */
import "./server-only-stub";
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
const origin = `http://127.0.0.1:${port}`;
const STATUSES = ["SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS", "DECLINED", "CANCELED", "REVERTED", "EXPIRED", "FAILED", "IN_PROGRESS"];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

type Seeded = { terminalRef: number; deepCursor: string | null };

async function seed(dbPath: string, email: string, password: string, txCount: number): Promise<Seeded> {
  const { openDatabase } = await import("../lib/db/open");
  const { createUser } = await import("../lib/users");
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
  db.$client.close();
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

async function measure(txCount: number): Promise<Map<string, { median: number; p95: number; status: number }>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-bench-tx-"));
  const dbPath = path.join(dir, "pairdesk.db");
  const password = randomBytes(18).toString("base64url");
  const email = "bench-admin@pairdesk.local";
  const env = { ...process.env, NODE_ENV: "production" as const, PAIRDESK_MODE: "demo", PAIRDESK_SIMULATOR: "off", PAIRDESK_POLLER: "off", DATABASE_PATH: dbPath, PUBLIC_URL: origin, LOG_LEVEL: "warn" };
  Object.assign(process.env, env);
  const seeded = await seed(dbPath, email, password, txCount);
  const server = spawn(path.join(process.cwd(), "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], { env, stdio: ["ignore", "ignore", "inherit"] });
  const out = new Map<string, { median: number; p95: number; status: number }>();
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
    const pages: [string, string, "body" | "first-byte"][] = [
      ["Terminals, first page", "/terminals", "body"],
      ["Transactions, first page", "/transactions", "body"],
      ["Transactions, filtered (declined)", "/transactions?status=DECLINED", "body"],
      ["Transactions, one terminal", `/transactions?terminal=${seeded.terminalRef}`, "body"],
      ["Transactions, deep page (row 900,000)", seeded.deepCursor ? `/transactions?after=${seeded.deepCursor}` : "/transactions", "body"],
      ["Transactions, sorted by last update", "/transactions?sort=-updated", "body"],
      ["Transactions CSV, first byte", "/api/transactions/export", "first-byte"],
    ];
    const probe = await fetch(`${origin}/transactions`, { headers: { Cookie: cookieHeader(jar) }, redirect: "manual" });
    if (probe.status !== 200) throw new Error(`signing in failed: /transactions answered ${probe.status}`);
    for (const [name, url, mode] of pages) {
      const get = async () => {
        const t0 = performance.now();
        const res = await fetch(`${origin}${url}`, { headers: { Cookie: cookieHeader(jar) }, redirect: "manual" });
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
      for (let i = 0; i < 2; i++) await get();
      const times: number[] = [];
      let status = 0;
      for (let i = 0; i < runs; i++) {
        const r = await get();
        times.push(r.ms);
        status = r.status;
      }
      times.sort((a, b) => a - b);
      out.set(name, { median: percentile(times, 0.5), p95: percentile(times, 0.95), status });
    }
  } finally {
    // Wait for it to be gone: the next database's server takes the same port.
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM");
    const late = setTimeout(() => server.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(late);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function main() {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.error("No production build: run `npx next build` first.");
    process.exit(1);
  }
  console.log("Empty database (one terminal, no transactions)…");
  const empty = await measure(0);
  console.log("One page of transactions (10 terminals, 120 transactions)…");
  const small = await measure(120);
  let full = small;
  if (!values.quick) {
    console.log(`Seeding ${TERMINALS.toLocaleString("en-US")} terminals and ${TX.toLocaleString("en-US")} transactions…`);
    full = await measure(TX);
  }
  console.table(
    [...full].map(([page, f]) => {
      const e = empty.get(page)!;
      const o = small.get(page)!;
      return {
        page,
        status: f.status,
        "empty ms": Number(e.median.toFixed(1)),
        "one page ms": Number(o.median.toFixed(1)),
        "full ms": Number(f.median.toFixed(1)),
        "full p95 ms": Number(f.p95.toFixed(1)),
        "× empty": Number((f.median / e.median).toFixed(2)),
        "× one page": Number((f.median / o.median).toFixed(2)),
      };
    }),
  );
  console.log(
    "Medians of the time to the last byte (the CSV: to its first byte). Target: ≤ 1.5× the empty database. An empty page renders no rows, so '× one page' (the same rows drawn, on 120 transactions) is what the million rows themselves cost.",
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
