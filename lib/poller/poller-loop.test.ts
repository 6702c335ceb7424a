import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../db/open";
import { workers } from "../db/schema";
import { leaseHolder } from "./lease";
import { POLLER } from "./poller";
import { runPollerLoop, type PollerLoop } from "./poller-loop";

const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-loop-")), "pairdesk.db");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, read: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function loopOn(db: DB, holder: string, ttlMs = 400): PollerLoop {
  return runPollerLoop(
    { db, provider: () => ({}) as never, credentials: () => ({ clientId: "", clientSecret: "" }), now: Date.now, holder, failures: new Map() },
    { loopMs: 20, ttlMs, renewMs: Math.floor(ttlMs / 4), idleFiguresMs: 200 },
  );
}

describe("the poller's loop", () => {
  const loops: PollerLoop[] = [];
  afterEach(() => {
    for (const l of loops.splice(0)) l.stop();
  });

  it("runs in one of two loops on a database file; stop() hands the lease to the other at once", async () => {
    const file = tmpFile();
    const a = openDatabase(file);
    const b = openDatabase(file, { migrate: false });
    const first = loopOn(a, "A");
    loops.push(first);
    await until("A to hold the lease", () => first.holdsLease());
    const second = loopOn(b, "B");
    loops.push(second);
    // Several lease lengths: A keeps renewing it, B never gets it.
    await sleep(1_000);
    expect(first.holdsLease()).toBe(true);
    expect(second.holdsLease()).toBe(false);
    expect(leaseHolder(b, POLLER)?.holder).toBe("A");
    first.stop();
    expect(leaseHolder(b, POLLER)?.holder).toBe(null);
    await until("B to take the released lease", () => second.holdsLease(), 1_000);
    expect(leaseHolder(a, POLLER)?.holder).toBe("B");
  });

  it("records an idle run's figures at most every idleFiguresMs, not on every run", async () => {
    const db = openDatabase(tmpFile());
    const loop = loopOn(db, "A");
    loops.push(loop);
    const runs = () => db.select({ at: workers.lastRunAt }).from(workers).get()?.at?.getTime() ?? null;
    const seen = new Set<number>();
    const end = Date.now() + 1_000;
    while (Date.now() < end) {
      const at = runs();
      if (at) seen.add(at);
      await sleep(10);
    }
    // 50 runs in that second (every 20 ms); their figures written about 5 times (every 200 ms).
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(seen.size).toBeLessThanOrEqual(8);
  });
});

describe("pollers in two real processes", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  });

  function child(file: string, leaseMs: number): ChildProcess {
    // node itself, with tsx as a loader, so that the pid is the poller's and kill -9 reaches it.
    const p = spawn(process.execPath, ["--import", "tsx", "lib/test/poller-child.ts", file, String(leaseMs)], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env },
    });
    children.push(p);
    return p;
  }

  it("a kill -9 of the holder hands the lease to the other once it expires; SIGTERM releases it", async () => {
    const file = tmpFile();
    const db = openDatabase(file); // migrated once, before the children open it
    const leaseMs = 800;
    const first = child(file, leaseMs);
    const second = child(file, leaseMs);
    const pidOf = (holder: string | null | undefined) => (holder ? Number(holder.split(":")[1]) : null);

    const holder = await until("a holder", () => leaseHolder(db, POLLER)?.holder, 20_000);
    // Both started (each prints a line once its loop runs); one holds the lease.
    await Promise.all([first, second].map((c) => new Promise((r) => c.stdout!.once("data", r))));
    const [dying, survivor] = pidOf(holder) === first.pid ? [first, second] : [second, first];
    expect(pidOf(holder)).toBe(dying.pid);
    // It keeps it: it renews within every lease, and the other cannot take it.
    await sleep(leaseMs * 2.5);
    expect(leaseHolder(db, POLLER)?.holder).toBe(holder);

    const killedAt = Date.now();
    dying.kill("SIGKILL");
    const taken = await until("the survivor to take over", () => {
      const h = leaseHolder(db, POLLER)?.holder;
      return h && h !== holder ? h : null;
    });
    const tookMs = Date.now() - killedAt;
    expect(pidOf(taken)).toBe(survivor.pid);
    // Not before the dead holder's lease ran out (it renews every quarter lease), nor long after.
    expect(tookMs).toBeGreaterThanOrEqual(leaseMs * 0.5);
    expect(tookMs).toBeLessThan(leaseMs * 3);

    const exited = new Promise((r) => survivor.once("exit", r));
    survivor.kill("SIGTERM");
    await exited;
    expect(leaseHolder(db, POLLER)?.holder).toBe(null);
  }, 40_000);
});
