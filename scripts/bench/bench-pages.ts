/**
 * The pages' server time over HTTP, as a browser gets them: a temporary database seeded with
 * 10,000 registers (scripts/demo/seed-registers.ts) and nothing else, `next start` on it (the
 * production build in .next: run `npx next build` first), one staff admin signed in through
 * next-auth's credentials endpoint, then each page fetched `--runs` times after a warm-up. Prints
 * the median and p95 of the time to the last byte, in milliseconds.
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
const origin = `http://127.0.0.1:${port}`;

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

async function main() {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.error("No production build: run `npx next build` first.");
    process.exit(1);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-bench-pages-"));
  const dbPath = path.join(dir, "pairdesk.db");
  const password = randomBytes(18).toString("base64url");
  const email = "bench-admin@pairdesk.local";
  const env = {
    ...process.env,
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
  const seeded = await seedRegisters(db, { count: 10_000 });
  await createUser(db, { email, password, role: "admin" });
  const someLocation = (db.$client.prepare("select id from locations order by id limit 1 offset 7").get() as { id: number }).id;
  const someRegister = (db.$client.prepare("select id from registers where kind = 'physical' order by id limit 1 offset 500").get() as { id: number }).id;
  db.close();
  console.log(
    `Seeded ${seeded.registers.toLocaleString("en-US")} registers in ${seeded.locations} locations, ${seeded.terminals.toLocaleString("en-US")} paired terminals, ${seeded.routed.toLocaleString("en-US")} routes. Starting next start on ${origin}…`,
  );

  const server = spawn(path.join(process.cwd(), "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(`${origin}/api/health`).then((r) => r.ok, () => false);
      if (up) break;
      if (i > 240) throw new Error("the server did not answer /api/health within a minute");
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
    if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed (${signIn.status})`);

    const pages: [string, string][] = [
      ["Registers, first page", "/registers"],
      ["Registers, page 50", "/registers?page=50"],
      ["Registers, search (kiosk)", "/registers?q=kiosk"],
      ["Registers, unrouted", "/registers?route=unrouted"],
      ["Register page", `/registers/${someRegister}`],
      ["Locations", "/locations"],
      ["Location page (50 registers)", `/locations/${someLocation}`],
      ["Terminals, first page", "/terminals"],
    ];
    const table: Record<string, string | number>[] = [];
    for (const [name, url] of pages) {
      const get = async () => {
        const t0 = performance.now();
        const res = await fetch(`${origin}${url}`, { headers: { Cookie: cookieHeader(jar) }, redirect: "manual" });
        const body = await res.text();
        return { ms: performance.now() - t0, status: res.status, bytes: body.length };
      };
      for (let i = 0; i < 3; i++) await get();
      const times: number[] = [];
      let last = await get();
      for (let i = 0; i < runs; i++) {
        last = await get();
        times.push(last.ms);
      }
      times.sort((a, b) => a - b);
      if (values.dump) {
        fs.mkdirSync(values.dump, { recursive: true });
        const res = await fetch(`${origin}${url}`, { headers: { Cookie: cookieHeader(jar) } });
        fs.writeFileSync(path.join(values.dump, `${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.html`), await res.text());
      }
      table.push({
        page: name,
        status: last.status,
        "KiB": Math.round(last.bytes / 1024),
        "median ms": Number(percentile(times, 0.5).toFixed(1)),
        "p95 ms": Number(percentile(times, 0.95).toFixed(1)),
      });
    }
    console.table(table);
  } finally {
    server.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
