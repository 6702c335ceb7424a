import "server-only";
import pino from "pino";

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

/** Pairdesk's logger, writing JSON lines to `destination` (standard output by default). */
export function createLogger(destination?: pino.DestinationStream): pino.Logger {
  const options: pino.LoggerOptions = {
    name: "pairdesk",
    level: process.env.LOG_LEVEL ?? "info",
    redact: { paths: paths(), censor: "[redacted]" },
    base: undefined,
  };
  return destination ? pino(options, destination) : pino(options);
}

export const log: pino.Logger = globalForLog.__pairdeskLog ?? (globalForLog.__pairdeskLog = createLogger());
