/** For unit tests of the poller: its deps around a stub provider that records each call's name, and a clock the test sets. */
import type { DB } from "../db/open";
import type { PollerDeps } from "../poller/poller";
import type { TransactionProvider } from "../providers/types";

export function pollerHarness(db: DB, stub: Partial<TransactionProvider>, holder = "me") {
  let now = 1_000_000;
  const calls: string[] = [];
  const provider = new Proxy({} as TransactionProvider, {
    get: (_t, name: string) => async (...args: unknown[]) => {
      calls.push(name);
      const fn = (stub as Record<string, (...a: unknown[]) => unknown>)[name];
      if (!fn) throw new Error(`unexpected call ${name}`);
      return fn(...args);
    },
  });
  const deps: PollerDeps = {
    db,
    provider: () => provider,
    credentials: async (_db, p) => ({ clientId: p.clientId, clientSecret: "secret" }),
    now: () => now,
    holder,
    failures: new Map(),
  };
  return { deps, calls, set: (ms: number) => (now = ms), at: () => now };
}
