/**
 * `npm run demo`: build, migrate, enable the simulator, point the sandbox environment at it,
 * create (or reset) the first admin and print its login, then serve http://localhost:3000.
 * Anything already set in the environment wins. `--no-build` skips the build.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { eq } from "drizzle-orm";
import { openDatabase } from "../lib/db/open";
import { users } from "../lib/db/schema";
import { hashPassword } from "../lib/password";
import { createUser } from "../lib/users";

const port = process.env.PORT ?? "3000";
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PAIRDESK_MODE: process.env.PAIRDESK_MODE ?? "demo",
  PAIRDESK_SIMULATOR: process.env.PAIRDESK_SIMULATOR ?? "on",
  PUBLIC_URL: publicUrl,
  PAY_CONNECT_SANDBOX_URL: process.env.PAY_CONNECT_SANDBOX_URL ?? `${publicUrl}/simulator/api`,
  PAY_CONNECT_SANDBOX_INTEGRATOR_ID: process.env.PAY_CONNECT_SANDBOX_INTEGRATOR_ID ?? "pairdesk-demo",
  DATABASE_PATH: process.env.DATABASE_PATH ?? "data/pairdesk.db",
};
const ADMIN_EMAIL = process.env.DEMO_ADMIN_EMAIL ?? "admin@pairdesk.local";
const nextBin = path.join(process.cwd(), "node_modules", ".bin", "next");

async function firstAdmin(): Promise<{ email: string; password: string; created: boolean }> {
  const db = openDatabase(path.resolve(env.DATABASE_PATH!));
  try {
    const password = `demo-${randomBytes(12).toString("base64url")}`;
    const existing = db.select({ id: users.id }).from(users).where(eq(users.email, ADMIN_EMAIL)).get();
    if (existing) {
      // The old password was only ever printed: give the demo admin a fresh one.
      db.update(users)
        .set({ passwordHash: await hashPassword(password), disabledAt: null, role: "admin", updatedAt: new Date() })
        .where(eq(users.id, existing.id))
        .run();
      return { email: ADMIN_EMAIL, password, created: false };
    }
    await createUser(db, { email: ADMIN_EMAIL, name: "Demo admin", password, role: "admin" });
    return { email: ADMIN_EMAIL, password, created: true };
  } finally {
    db.$client.close();
  }
}

async function main() {
  if (!process.argv.includes("--no-build")) {
    console.log("Building Pairdesk (next build)…");
    const build = spawnSync(nextBin, ["build"], { stdio: "inherit", env });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const admin = await firstAdmin();
  const server = spawn(nextBin, ["start", "-p", port], { stdio: "inherit", env });
  const banner = [
    "",
    "──────────────────────────────────────────────────────────",
    ` Pairdesk demo: ${publicUrl}`,
    ` Sign in as   ${admin.email}`,
    ` Password     ${admin.password}${admin.created ? "" : "   (reset for this run)"}`,
    ` Simulated terminal: ${publicUrl}/simulator`,
    " Sandbox pairs against the built-in simulator. Ctrl+C stops.",
    "──────────────────────────────────────────────────────────",
    "",
  ].join("\n");
  setTimeout(() => console.log(banner), 1500);
  const stop = (signal: NodeJS.Signals) => server.kill(signal);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
