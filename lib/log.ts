import "server-only";
import pino from "pino";
import { ConfigError, getEnv, type Env } from "./env";

const globalForLog = globalThis as unknown as { __pairdeskLog?: pino.Logger };

/** Field names whose values never reach a log line, wherever they are nested. */
export const REDACTED_FIELDS = [
  "password",
  "passwordHash",
  "otp",
  "client_secret",
  "clientSecret",
  "webhook_secret_key",
  "webhookSecretKey",
  "access_token",
  "accessToken",
  "authorization",
  "Authorization",
  "secret",
  "token",
  "cookie",
];

function paths(): string[] {
  return REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
}

/**
 * Pairdesk's logger, writing JSON lines to `destination` (standard output by default), at the
 * configured level (`LOG_LEVEL`, validated with the rest of the configuration in lib/env.ts).
 */
export function createLogger(destination?: pino.DestinationStream, level: Env["logLevel"] = configuredLevel()): pino.Logger {
  const options: pino.LoggerOptions = {
    name: "pairdesk",
    level,
    redact: { paths: paths(), censor: "[redacted]" },
    base: undefined,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** LOG_LEVEL as lib/env.ts validated it; "info" while the configuration is invalid (the start then stops with its message). */
function configuredLevel(): Env["logLevel"] {
  try {
    return getEnv().logLevel;
  } catch (err) {
    if (err instanceof ConfigError) return "info";
    throw err;
  }
}

function instance(): pino.Logger {
  return (globalForLog.__pairdeskLog ??= createLogger());
}

/**
 * The process's logger, created on first use (not at import: the configuration is validated,
 * and reported, by the start before anything logs).
 */
export const log: pino.Logger = new Proxy({} as pino.Logger, {
  get(_target, prop) {
    const logger = instance();
    const value: unknown = Reflect.get(logger, prop, logger);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(logger) : value;
  },
  set(_target, prop, value) {
    return Reflect.set(instance(), prop, value);
  },
});
