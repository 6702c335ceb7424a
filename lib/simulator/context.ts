import { createHash, randomBytes, randomInt } from "node:crypto";
import type { SimulatorDatabase } from "./db";

/**
 * Everything a simulator function needs. The route handlers build it from the configuration
 * (./server.ts); tests build it around a `:memory:` database and a fake clock.
 */
export type SimulatorContext = {
  db: SimulatorDatabase;
  /** Milliseconds since the epoch. */
  now: () => number;
  /**
   * The integrator ids the simulated provider accepts (Pairdesk's sandbox one): any other is
   * refused like Pay-Connect would.
   */
  integratorIds: ReadonlySet<string>;
  /**
   * PUBLIC_URL's origin. The test-driving endpoints accept a browser request from it or from the
   * request's own origin, and from no other site.
   */
  publicOrigin?: string;
  /** Delay of a "slow" fault set without delayMs (the app's timeout plus a margin). */
  defaultSlowDelayMs: number;
  /** How long an open payment waits at a terminal before it EXPIRES (a terminal's own setting wins). */
  paymentExpiryMs?: number;
  /** Multiplies the webhook retry schedule (tests shorten it). Defaults to 1. */
  webhookRetryScale?: number;
  /** Runs `fn` after `ms` (the simulated terminal's own moves); tests may replace it. Defaults to setTimeout. */
  schedule?: (ms: number, fn: () => void) => void;
  /** Sends a webhook; tests may replace it. Defaults to fetch. */
  fetch?: typeof fetch;
  /** Waits; tests may replace it. */
  sleep?: (ms: number) => Promise<void>;
};

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** `length` characters drawn uniformly from `alphabet` with a CSPRNG. */
export function randomFrom(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
