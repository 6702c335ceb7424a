/**
 * `npm run demo`: build, migrate, enable the simulator, point the sandbox environment at it,
 * create (or reset) the first admin, serve http://localhost:3000, make two merchants with a few
 * terminals paired on the simulator and a location with registers, none routed (first run
 * only), and print the staff admin's and one
 * merchant admin's login. Anything already set in the environment wins. `--no-build` skips the
 * build.
 *
 * The server listens on the loopback interface only (127.0.0.1): the demo prints an admin
 * password and serves the unauthenticated simulator, so other machines must not reach it unless
 * you say so with `--host ADDRESS` or DEMO_HOST (e.g. `--host 0.0.0.0` for every interface).
 */
// lib/pairing imports `server-only`: stubbed for this process (the app modules below are
// imported after it, dynamically).
import "../server-only-stub";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { databasePathFrom } from "../../lib/db/default-path";
import { openDatabase } from "../../lib/db/open";
import { isPostgresUrl } from "../../lib/db/engine";
import { demoLogin, type DemoLogin } from "./demo-login";

const port = process.env.PORT ?? "3000";
/** `--host ADDRESS` or `--host=ADDRESS`, else DEMO_HOST, else loopback. */
function hostArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--host") return argv[i + 1];
    if (arg.startsWith("--host=")) return arg.slice("--host=".length);
  }
  return undefined;
}
const host = hostArgument(process.argv.slice(2)) || process.env.DEMO_HOST || "127.0.0.1";
const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PAIRDESK_MODE: process.env.PAIRDESK_MODE ?? "demo",
  PAIRDESK_SIMULATOR: process.env.PAIRDESK_SIMULATOR ?? "on",
  PUBLIC_URL: publicUrl,
  PAY_CONNECT_SANDBOX_URL: process.env.PAY_CONNECT_SANDBOX_URL ?? `${publicUrl}/simulator/api`,
  PAY_CONNECT_SANDBOX_INTEGRATOR_ID: process.env.PAY_CONNECT_SANDBOX_INTEGRATOR_ID ?? "pairdesk-demo",
  DATABASE_PATH: databasePathFrom(),
};
// This process seeds the demo merchants with the app's own modules: they read the same settings.
Object.assign(process.env, env);
/** Postgres when DATABASE_URL names one, else the SQLite file. */
const databaseTarget = isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : path.resolve(env.DATABASE_PATH!);
const ADMIN_EMAIL = process.env.DEMO_ADMIN_EMAIL ?? "admin@pairdesk.local";
const nextBin = path.join(process.cwd(), "node_modules", ".bin", "next");

async function firstAdmin(): Promise<DemoLogin> {
  const db = openDatabase(databaseTarget);
  try {
    return await demoLogin(db, { email: ADMIN_EMAIL, name: "Demo admin", role: "admin" });
  } finally {
    await db.end();
  }
}

async function main() {
  if (!process.argv.includes("--no-build")) {
    console.log("Building Pairdesk (next build)…");
    const build = spawnSync(nextBin, ["build"], { stdio: "inherit", env });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const admin = await firstAdmin();
  // The server's log goes to a file beside the database, so that the logins printed below stay
  // on the screen (the poller and every request would scroll them away).
  const logFile = path.join(path.dirname(path.resolve(env.DATABASE_PATH!)), "demo-server.log");
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, "a");
  const server = spawn(nextBin, ["start", "-p", port, "-H", host], { stdio: ["ignore", out, out], env });
  fs.closeSync(out);
  const merchantAdmin = await demoMerchants(admin).catch((err: unknown) => {
    console.error(`\nThe demo merchants could not be made (${(err as Error)?.message ?? err}). Pairdesk runs without them.`);
    return null;
  });
  const listening = LOOPBACK.has(host)
    ? ` Listening on ${host} only (this machine). --host 0.0.0.0 to open it to your network.`
    : ` Listening on ${host}: reachable from other machines. Anyone who reaches it can use the simulator.`;
  const banner = [
    "",
    "──────────────────────────────────────────────────────────",
    ` Pairdesk demo: ${publicUrl}`,
    ` Staff admin     ${admin.email}`,
    ` Password        ${admin.password}${admin.created ? "" : "   (reset for this run)"}`,
    ...(merchantAdmin
      ? [
          ` Merchant admin  ${merchantAdmin.email}   (Northwind Coffee only)`,
          ` Password        ${merchantAdmin.password}${merchantAdmin.created ? "" : "   (reset for this run)"}`,
        ]
      : []),
    ` Simulated terminal: ${publicUrl}/simulator`,
    listening,
    " Sandbox pairs against the built-in simulator. Ctrl+C stops.",
    ` Server log: ${logFile.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), logFile) : logFile} (tail -f it to follow)`,
    "──────────────────────────────────────────────────────────",
    "",
  ].join("\n");
  console.log(banner);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    server.kill(signal);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code, signal) => {
    if (!stopping) {
      // Never silently: the person at the terminal must know the app is gone, and how to restart.
      console.error(
        `\nThe Pairdesk server stopped (${signal ? `killed by ${signal}` : `exit code ${code}`}). ` +
          `The end of its log (${logFile}):\n${tail(logFile, 30)}\n` +
          "Start it again without rebuilding: npm run demo -- --no-build " +
          "(the demo admin gets a new password, printed again).",
      );
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}

/** The last `lines` lines of a file (the server log), or a note that it cannot be read. */
function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(the log cannot be read)";
  }
}

/** Waits for the server, then makes the demo merchants (first run) and their admin's login. */
async function demoMerchants(admin: { id: number; email: string }) {
  // The server listens on `host`; 127.0.0.1 reaches it unless it is bound to another address.
  const origin = `http://${host === "0.0.0.0" || host === "localhost" || host === "127.0.0.1" ? "127.0.0.1" : host.includes(":") ? `[${host.replace(/^\[|\]$/g, "")}]` : host}:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${origin}/api/health`).then((r) => r.status < 500, () => false);
    if (up) break;
    if (i > 120) throw new Error("the server did not answer within a minute");
    await new Promise((r) => setTimeout(r, 500));
  }
  const { openDatabase: open } = await import("../../lib/db/open");
  const { ensureDemoMerchants, ensureDemoRegisters, demoMerchantAdmin, DEMO_LOCATION } = await import("./demo-merchants");
  const db = open(databaseTarget);
  try {
    const made = await ensureDemoMerchants(db, {
      simulatorApi: `${origin}/simulator/api`,
      integratorId: env.PAY_CONNECT_SANDBOX_INTEGRATOR_ID!,
      admin,
    });
    if (made.created) console.log(`Made the demo merchants Northwind Coffee and Harbour Books, with ${made.terminals} terminals paired on the simulator.`);
    const registers = await ensureDemoRegisters(db, admin);
    if (registers.created) {
      console.log(
        `Made Northwind's location ${DEMO_LOCATION.name} with ${registers.registers} registers, none routed yet: route them on the Registers page.`,
      );
    }
    const { ensureDemoTransactions } = await import("./demo-transactions");
    const payments = await ensureDemoTransactions(db, admin).catch((err: unknown) => {
      console.error(`The demo payments could not be made (${(err as Error)?.message ?? err}).`);
      return { created: 0 };
    });
    if (payments.created > 0) {
      console.log(
        `Made ${payments.created} demo payments on Northwind's terminals: see Transactions. The Bar terminal's €7.80 waits on its screen at /simulator: approve it there and watch its page.`,
      );
    }
    return await demoMerchantAdmin(db);
  } finally {
    await db.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
