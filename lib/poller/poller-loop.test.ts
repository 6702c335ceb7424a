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
import { firstRow } from "../db/query";

const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-loop-")), "pairdesk.db");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until it gives a value; `timeoutMs` only detects a hang, it is no speed target. */
async function until<T>(what: string, read: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

type LoopOptions = { ttlMs?: number; renewMs?: number; now?: () => number; onRun?: () => void };

function loopOn(db: DB, holder: string, { ttlMs = 30_000, renewMs = 20, now = Date.now, onRun }: LoopOptions = {}): PollerLoop {
  return runPollerLoop(
    { db, provider: () => ({}) as never, credentials: async () => ({ clientId: "", clientSecret: "" }), now, holder, failures: new Map() },
    { loopMs: 10, ttlMs, renewMs, idleFiguresMs: 200, onRun },
  );
}

const expiresAt = async (db: DB) => (await leaseHolder(db, POLLER))?.leaseExpiresAt?.getTime() ?? null;

describe("the poller's loop", () => {
  const loops: PollerLoop[] = [];
  afterEach(() => {
    for (const l of loops.splice(0)) void l.stop();
  });

  it("runs in one of two loops on a database file; stop() hands the lease to the other at once", async () => {
    const file = tmpFile();
    const a = openDatabase(file);
    const b = openDatabase(file, { migrate: false });
    // A lease far longer than the test: B can only get it when A gives it up, never by expiry.
    const first = loopOn(a, "A");
    loops.push(first);
    await until("A to hold the lease", () => first.holdsLease());
    const second = loopOn(b, "B"); // tries at once, then at every renewal
    loops.push(second);
    // A keeps renewing (its expiry moves on, three renewals), and B, trying meanwhile, never gets it.
    const seen = new Set<number>();
    await until("three renewals by A while B tries", async () => {
      expect((await leaseHolder(b, POLLER))?.holder).toBe("A");
      expect(second.holdsLease()).toBe(false);
      seen.add((await expiresAt(b))!);
      return seen.size >= 3;
    });
    expect(first.holdsLease()).toBe(true);
    await first.stop();
    expect((await leaseHolder(b, POLLER))?.holder).toBe(null);
    await until("B to take the released lease", () => second.holdsLease());
    expect((await leaseHolder(a, POLLER))?.holder).toBe("B");
  });

  it("records an idle run's figures at most every idleFiguresMs, not on every run", async () => {
    const db = openDatabase(tmpFile());
    // The loop's own clock, moved by the test: runs happen in real time, their figures by this clock.
    let clock = Date.now();
    let runs = 0;
    const loop = loopOn(db, "A", { now: () => clock, onRun: () => void runs++ });
    loops.push(loop);
    const lastRunAt = async () => (await firstRow(db.select({ at: workers.lastRunAt }).from(workers).limit(1)))?.at?.getTime() ?? null;
    const moreRuns = (n: number) => {
      const target = runs + n;
      return until(`${n} more runs`, () => runs >= target);
    };

    const t0 = clock;
    await until("the first run's figures", async () => await lastRunAt() === t0);
    await moreRuns(5); // idle runs at the same moment: not recorded again
    expect(await lastRunAt()).toBe(t0);
    clock = t0 + 150; // less than idleFiguresMs since the last record
    await moreRuns(5);
    expect(await lastRunAt()).toBe(t0);
    clock = t0 + 210; // past it: the next run records
    await until("the next record", async () => await lastRunAt() === t0 + 210);
    clock = t0 + 300;
    await moreRuns(5);
    expect(await lastRunAt()).toBe(t0 + 210);
  });
});

describe("pollers in two real processes", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  });

  /** A poller process, and the JSON lines it printed so far. */
  function child(file: string, leaseMs: number): { p: ChildProcess; lines: () => Record<string, unknown>[] } {
    // node itself, with tsx as a loader, so that the pid is the poller's and kill -9 reaches it.
    const p = spawn(process.execPath, ["--import", "tsx", "lib/test/poller-child.ts", file, String(leaseMs)], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env },
    });
    children.push(p);
    let out = "";
    p.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    const lines = () => out.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    return { p, lines };
  }

  it("a kill -9 of the holder hands the lease to the other once it expires; SIGTERM releases it", async () => {
    const file = tmpFile();
    const db = openDatabase(file); // migrated once, before the children open it
    // Renewed every quarter of it: long enough that a busy machine does not starve a holder.
    const leaseMs = 2_000;
    const first = child(file, leaseMs);
    const second = child(file, leaseMs);
    const pidOf = (holder: string | null | undefined) => (holder ? Number(holder.split(":")[1]) : null);

    const holder = await until("a holder", async () => (await leaseHolder(db, POLLER))?.holder);
    // Both started (each prints a line once its loop runs); one holds the lease.
    await until("both pollers started", () => [first, second].every((c) => c.lines().some((l) => l.started)));
    const [dying, survivor] = pidOf(holder) === first.p.pid ? [first, second] : [second, first];
    expect(pidOf(holder)).toBe(dying.p.pid);
    // It keeps it: it renews (its expiry moves on, three renewals) and the other cannot take it.
    const seen = new Set<number>();
    await until("three renewals by the holder", async () => {
      expect((await leaseHolder(db, POLLER))?.holder).toBe(holder);
      seen.add((await expiresAt(db))!);
      return seen.size >= 3;
    });
    expect(survivor.lines().some((l) => l.holds === true)).toBe(false);

    dying.p.kill("SIGKILL");
    await new Promise((r) => (dying.p.exitCode !== null || dying.p.signalCode !== null ? r(null) : dying.p.once("exit", r)));
    const deadUntil = (await expiresAt(db))!; // the dead holder's last renewal: nobody moves it now
    const taken = await until("the survivor to take over", async () => {
      const h = (await leaseHolder(db, POLLER))?.holder;
      return h && h !== holder ? h : null;
    });
    expect(pidOf(taken)).toBe(survivor.p.pid);
    // Not before the dead holder's lease ran out: the survivor says when it took the lease (by
    // its clock, which wrote nothing earlier than deadUntil + 1 into the take's condition).
    const took = await until("the survivor's word that it holds", () => survivor.lines().find((l) => l.holds === true));
    expect(took.at).toBeGreaterThan(deadUntil);

    const exited = new Promise((r) => survivor.p.once("exit", r));
    survivor.p.kill("SIGTERM");
    await exited;
    expect((await leaseHolder(db, POLLER))?.holder).toBe(null);
  }, 60_000);
});
