// Starts the production build for the E2E suite on a fresh database, with the simulator on.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const port = process.env.E2E_PORT ?? "3100";
const dir = path.resolve(".e2e");
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const url = `http://localhost:${port}`;
// The server's log goes to .e2e/server.log too: the suite checks that no secret reaches it.
const logFile = fs.createWriteStream(path.join(dir, "server.log"));
const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", port], {
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    NODE_ENV: "production",
    PAIRDESK_MODE: "demo",
    PAIRDESK_SIMULATOR: "on",
    DATABASE_PATH: path.join(dir, "pairdesk.db"),
    PUBLIC_URL: url,
    PAY_CONNECT_SANDBOX_URL: `${url}/simulator/api`,
    PAY_CONNECT_SANDBOX_INTEGRATOR_ID: "e2e-integrator",
    PAY_CONNECT_PRODUCTION_INTEGRATOR_ID: "",
    PAY_CONNECT_INTEGRATOR_ID: "",
    PAY_CONNECT_TIMEOUT_MS: "2500",
    PAY_CONNECT_PAIR_TIMEOUT_MS: "2500",
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
child.on("exit", (code) => process.exit(code ?? 0));
