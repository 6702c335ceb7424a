/**
 * A poller in a process of its own, for the lease test (./poller-loop.test.ts): it opens the
 * database file given as its first argument and runs the real loop with a short lease and a
 * provider that answers nothing (there is nothing to poll), until it is killed, or sent SIGTERM,
 * which releases the lease as a server's exit does. It prints a JSON line when it starts and
 * each time it takes or loses the lease (with the time by its clock, just after the change).
 *   node --import tsx lib/test/poller-child.ts <database file> [lease ms]
 */
import { openDatabase } from "../db/open";
import type { TransactionProvider } from "../providers/types";
import { newHolderId, runPollerLoop } from "../poller/poller-loop";

const [file, lease = "600"] = process.argv.slice(2);
if (!file) {
  console.error("usage: poller-child <database file> [lease ms]");
  process.exit(2);
}
const ttlMs = Number(lease);
const db = openDatabase(file, { migrate: false });
const nothing = new Proxy({} as TransactionProvider, {
  get: () => async () => {
    throw new Error("the lease test has nothing to poll");
  },
});
const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const loop = runPollerLoop(
  { db, provider: () => nothing, credentials: async () => ({ clientId: "", clientSecret: "" }), now: Date.now, holder: newHolderId(), failures: new Map() },
  { loopMs: 50, ttlMs, renewMs: Math.floor(ttlMs / 4), onLease: (holds) => say({ holds, at: Date.now() }) },
);
say({ holder: loop.holder, started: true });
// Keep the process alive (the loop's timers are unref'd, as a server's must be).
const alive = setInterval(() => undefined, 1_000);
process.once("SIGTERM", () => {
  clearInterval(alive);
  void loop.stop().then(() => {
    db.close();
    process.exit(0);
  });
});
