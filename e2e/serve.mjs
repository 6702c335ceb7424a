// Starts the production build for the E2E suite on a fresh database, with the simulator on.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { E2E_DB, E2E_DIR, E2E_INTEGRATOR_ID, E2E_PORT, E2E_SERVER_LOG, E2E_TIMEOUT_MS, E2E_URL } from "./constants.mjs";

fs.rmSync(E2E_DIR, { recursive: true, force: true });
fs.mkdirSync(E2E_DIR, { recursive: true });
// The server's log goes to .e2e/server.log too: the suite checks that no secret reaches it.
const logFile = fs.createWriteStream(E2E_SERVER_LOG);
const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(E2E_PORT)], {
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    NODE_ENV: "production",
    PAIRDESK_MODE: "demo",
    PAIRDESK_SIMULATOR: "on",
    DATABASE_PATH: E2E_DB,
    PUBLIC_URL: E2E_URL,
    PAY_CONNECT_SANDBOX_URL: `${E2E_URL}/simulator/api`,
    PAY_CONNECT_SANDBOX_INTEGRATOR_ID: E2E_INTEGRATOR_ID,
    PAY_CONNECT_PRODUCTION_INTEGRATOR_ID: "",
    PAY_CONNECT_INTEGRATOR_ID: "",
    PAY_CONNECT_TIMEOUT_MS: String(E2E_TIMEOUT_MS),
    PAY_CONNECT_PAIR_TIMEOUT_MS: String(E2E_TIMEOUT_MS),
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "info",
  },
});
for (const stream of [child.stdout, child.stderr]) {
  stream.on("data", (chunk) => {
    logFile.write(chunk);
    if (process.env.E2E_SERVER_OUTPUT) process.stdout.write(chunk);
  });
}
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(Number(process.exitCode) || (code ?? 0)));

// Playwright waits for /api/health to answer 2xx, and would wait out its whole timeout on a 503
// (a broken check). Stop at once instead, saying which check is broken.
const started = Date.now();
async function watchStart() {
  let res;
  try {
    res = await fetch(`${E2E_URL}/api/health`);
  } catch {
    // not listening yet
    if (Date.now() - started < 60_000) setTimeout(watchStart, 250);
    return;
  }
  if (res.status === 503) {
    const body = await res.text();
    const message = `\nThe E2E server started broken: /api/health answers 503:\n${body}\n(server log: ${E2E_SERVER_LOG})\n`;
    process.stderr.write(message);
    logFile.write(message);
    process.exitCode = 1;
    child.kill("SIGTERM");
  }
}
setTimeout(watchStart, 250);
