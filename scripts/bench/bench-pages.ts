/**
 * The register pages' server time and weight over HTTP, as a browser gets them: two temporary
 * databases, one seeded with 10,000 registers (scripts/demo/seed-registers.ts) and one with a
 * single register (the "empty" one: one location, one register, one terminal), `next start` on
 * each (the production build in .next: run `npx next build` first), one staff admin signed in
 * through next-auth's credentials endpoint, then each page fetched `--runs` times on both after a
 * warm-up, the two servers' requests interleaved. Prints each page's size, the median and p95 of
 * the time to the last byte, and the ratio to the empty database (target ≤ 1.5×; every page of
 * rows under 150 KiB).
 *
 *   npm run bench:pages [-- --runs 20 --port 3199 --dump /tmp/pages]   (then the transaction pages)
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
    runs: { type: "string", default: "20" },
    port: { type: "string", default: "3199" },
    /** A folder: each page's HTML is saved there, to see what makes it heavy. */
    dump: { type: "string" },
  },
});
const runs = Number(values.runs);
const port = Number(values.port);
// One vault key and session secret for both servers: this process seeds both databases with the
// configuration it read first (lib/env.ts reads it once).
const SECRETS = { VAULT_KEY: randomBytes(32).toString("base64"), AUTH_SECRET: randomBytes(32).toString("base64url") };
/** Pages of rows (lists of registers): each should weigh less than this. */
const ROWS_PAGE_KIB = 150;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Cookies as a browser keeps them: name → value, from each Set-Cookie. */
function keep(jar: Map<string, string>, res: Response) {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

type Started = { label: string; origin: string; jar: Map<string, string>; someLocation: number; someRegister: number; stop: () => Promise<void> };

/** A scratch database with `count` registers, `next start` on it at `port`, and a signed-in staff admin. */
async function start(label: string, count: number, port: number): Promise<Started> {
  const origin = `http://127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pairdesk-bench-pages-${label}-`));
  const dbPath = path.join(dir, "pairdesk.db");
  const password = randomBytes(18).toString("base64url");
  const email = "bench-admin@pairdesk.local";
  const env = {
    ...process.env,
    ...SECRETS,
    NODE_ENV: "production" as const,
    PAIRDESK_MODE: "demo",
    PAIRDESK_SIMULATOR: "off",
    DATABASE_PATH: dbPath,
    PUBLIC_URL: origin,
    LOG_LEVEL: "warn",
  };
  Object.assign(process.env, env);
  const { openDatabase } = await import("../../lib/db/open");
  const { seedRegisters } = await import("../demo/seed-registers");
  const { createUser } = await import("../../lib/users/users");
  const db = openDatabase(dbPath);
  const seeded = await seedRegisters(db, { count });
  await createUser(db, { email, password, role: "admin" });
  const offset = (n: number) => Math.min(n, Math.max(0, seeded.locations - 1));
  const someLocation = (db.$client.prepare("select id from locations order by id limit 1 offset ?").get(offset(7)) as { id: number }).id;
  const physical = (db.$client.prepare("select count(*) as n from registers where kind = 'physical'").get() as { n: number }).n;
  const someRegister = (db.$client.prepare("select id from registers where kind = 'physical' order by id limit 1 offset ?").get(Math.min(500, physical - 1)) as { id: number }).id;
  db.close();
  console.log(
    `${label}: ${seeded.registers.toLocaleString("en-US")} registers in ${seeded.locations} locations, ${seeded.terminals.toLocaleString("en-US")} paired terminals, ${seeded.routed.toLocaleString("en-US")} routes; next start on ${origin}`,
  );
  const server = spawn(path.join(process.cwd(), "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", () => server.kill("SIGKILL"));
  for (let i = 0; ; i++) {
    const up = await fetch(`${origin}/api/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 240) {
      await stop();
      throw new Error(`the ${label} server did not answer /api/health within a minute`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const jar = new Map<string, string>();
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  keep(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signIn = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${origin}/`, json: "true" }),
  });
  keep(jar, signIn);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed on the ${label} server (${signIn.status})`);
  return { label, origin, jar, someLocation, someRegister, stop };
}

async function main() {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.error("No production build: run `npx next build` first.");
    process.exit(1);
  }
  const servers: Started[] = [];
  try {
    servers.push(await start("empty", 1, port + 1));
    servers.push(await start("10,000 registers", 10_000, port));
    const [empty, full] = servers as [Started, Started];
    // `rows`: the register pages of rows, held to ROWS_PAGE_KIB (issue 21); the other lists are shown for comparison.
    const pages: { name: string; url: (s: Started) => string; rows: boolean }[] = [
      { name: "Registers, first page", url: () => "/registers", rows: true },
      { name: "Registers, page 50", url: () => "/registers?page=50", rows: true },
      { name: "Registers, search (kiosk)", url: () => "/registers?q=kiosk", rows: true },
      { name: "Registers, unrouted", url: () => "/registers?route=unrouted", rows: true },
      { name: "Register page", url: (s) => `/registers/${s.someRegister}`, rows: false },
      { name: "Locations", url: () => "/locations", rows: false },
      { name: "Location page (50 registers)", url: (s) => `/locations/${s.someLocation}`, rows: true },
      { name: "Terminals, first page", url: () => "/terminals", rows: false },
    ];
    const table: Record<string, string | number>[] = [];
    let met = true;
    for (const page of pages) {
      const get = async (s: Started) => {
        const t0 = performance.now();
        const res = await fetch(`${s.origin}${page.url(s)}`, { headers: { Cookie: cookieHeader(s.jar) }, redirect: "manual" });
        const body = await res.text();
        return { ms: performance.now() - t0, status: res.status, bytes: Buffer.byteLength(body), body };
      };
      for (let i = 0; i < 3; i++) for (const s of servers) await get(s);
      const times = new Map<Started, number[]>(servers.map((s) => [s, []]));
      const last = new Map<Started, Awaited<ReturnType<typeof get>>>();
      // Interleaved: a drift in the machine's speed falls on both databases alike.
      for (let i = 0; i < runs; i++) {
        for (const s of i % 2 === 0 ? servers : [...servers].reverse()) {
          const r = await get(s);
          times.get(s)!.push(r.ms);
          last.set(s, r);
        }
      }
      const median = (s: Started) => percentile([...times.get(s)!].sort((a, b) => a - b), 0.5);
      const p95 = (s: Started) => percentile([...times.get(s)!].sort((a, b) => a - b), 0.95);
      const kib = Math.round(last.get(full)!.bytes / 1024);
      const ratio = median(full) / median(empty);
      if (last.get(full)!.status !== 200 || ratio > 1.5 || (page.rows && kib >= ROWS_PAGE_KIB)) met = false;
      if (values.dump) {
        fs.mkdirSync(values.dump, { recursive: true });
        fs.writeFileSync(path.join(values.dump, `${page.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.html`), last.get(full)!.body);
      }
      table.push({
        page: page.name,
        status: last.get(full)!.status,
        KiB: kib,
        "empty KiB": Math.round(last.get(empty)!.bytes / 1024),
        "median ms": Number(median(full).toFixed(1)),
        "p95 ms": Number(p95(full).toFixed(1)),
        "empty ms": Number(median(empty).toFixed(1)),
        "× empty": Number(ratio.toFixed(2)),
      });
    }
    console.table(table);
    console.log(
      `Medians of the time to the last byte over ${runs} runs, the two databases' requests interleaved; "empty" is one location with one register. ` +
        `Targets: ≤ 1.5× the empty database; a page of registers under ${ROWS_PAGE_KIB} KiB. ${met ? "Targets met." : "Targets NOT met."}`,
    );
  } finally {
    for (const s of servers) await s.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
