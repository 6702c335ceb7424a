/**
 * Runs a command with TEST_DATABASE_URL naming a Postgres the tests may create databases on:
 * the one TEST_DATABASE_URL already names, or a throwaway cluster started here and removed
 * afterwards (Debian's postgresql: initdb, then pg_ctl on a free loopback port; as the
 * `postgres` user when run as root, since Postgres refuses to run as root).
 *
 *   tsx scripts/test/with-postgres.ts vitest run
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

function postgresBin(name: string): string {
  const onPath = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (onPath) return onPath;
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = path.join(root, v, "bin", name);
    if (fs.existsSync(bin)) return bin;
  }
  throw new Error(`${name} not found: install Debian's postgresql (apt-get install -y postgresql), or set TEST_DATABASE_URL.`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startCluster(): Promise<{ url: string; stop: () => void; env: Record<string, string> }> {
  const root = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-pg-"));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, "data");
  const asOwner = (bin: string, args: string[]) => (root ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args]) as [string, string[]];
  if (root) execFileSync("chown", ["postgres", dir]);
  const port = await freePort();
  execFileSync(...asOwner(postgresBin("initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]), { stdio: "ignore" });
  // fsync off: a test cluster thrown away after the run (nothing here measures durability).
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300`;
  execFileSync(...asOwner(postgresBin("pg_ctl"), ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"]), { stdio: "ignore" });
  const stop = () => {
    spawnSync(...asOwner(postgresBin("pg_ctl"), ["-D", data, "-m", "immediate", "stop"]), { stdio: "ignore" });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // For the tests that restart the database (e2e/multi-instance.spec.ts): pg_ctl on this data
  // folder, as this user (a restart reuses the start's options).
  const env = { TEST_POSTGRES_PG_CTL: postgresBin("pg_ctl"), TEST_POSTGRES_DATA: data, TEST_POSTGRES_LOG: path.join(dir, "log"), TEST_POSTGRES_RUN_AS: root ? "postgres" : "" };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop, env };
}

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error("usage: tsx scripts/test/with-postgres.ts <command> [args…]");
  process.exit(2);
}

const cluster = process.env.TEST_DATABASE_URL ? null : await startCluster();
const url = process.env.TEST_DATABASE_URL ?? cluster!.url;
if (cluster) console.log(`== a throwaway Postgres for the tests at ${url}`);
const child = spawn(command[0]!, command.slice(1), { stdio: "inherit", env: { ...process.env, ...cluster?.env, TEST_DATABASE_URL: url }, shell: false });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  cluster?.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
