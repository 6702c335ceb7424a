import { defineConfig, devices } from "@playwright/test";
import { chromiumExecutable, E2E_PORT, E2E_URL } from "./e2e/env";

export default defineConfig({
  testDir: "./e2e",
  // One server, one SQLite file and one simulator, shared by the workers: every spec seeds and
  // asserts on its own rows, and scopes its simulator faults to its own simulated terminals.
  // E2E_WORKERS overrides (1 to debug in order).
  workers: Number(process.env.E2E_WORKERS ?? 2),
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: E2E_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    // Signs in once per role and saves the sessions the specs reuse (e2e/auth.setup.ts).
    { name: "setup", testMatch: /.*\.setup\.ts/, use: { ...devices["Desktop Chrome"] } },
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, dependencies: ["setup"], testIgnore: /multi-instance\.spec\.ts/ },
    // Two instances on Postgres behind nginx: after the rest, so that its load (two servers and a
    // webhook flood) does not share the machine with the other specs.
    { name: "multi-instance", testMatch: /multi-instance\.spec\.ts/, use: { ...devices["Desktop Chrome"] }, dependencies: ["chromium"] },
  ],
  webServer: {
    command: "node e2e/serve.mjs",
    url: `${E2E_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(E2E_PORT) },
  },
});
