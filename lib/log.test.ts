import "./test/setup-env";
import { describe, expect, it } from "vitest";
import { getEnv } from "./env";
import { createLogger } from "./log";

const FIELDS = ["client_secret", "webhook_secret_key", "password", "otp", "access_token", "authorization"] as const;

/** A logger whose lines are kept in memory, parsed. */
function capture() {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(line) }, "info");
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("log", () => {
  it("writes secret fields as [redacted] at the top level and one and two levels deep, never in clear", () => {
    const { logger, lines, parsed } = capture();
    const secrets: string[] = [];
    const values = (depth: string) =>
      Object.fromEntries(
        FIELDS.map((f) => {
          const value = `clear-${f}-${depth}-value`;
          secrets.push(value);
          return [f, value];
        }),
      );
    logger.info(
      {
        ...values("top"),
        request: { ...values("one"), url: "https://api.example/pair/" },
        response: { body: { ...values("two"), terminal_id: "T-1" } },
        userId: 7,
      },
      "pairing call",
    );

    expect(lines).toHaveLength(1);
    for (const secret of secrets) expect(lines[0]).not.toContain(secret);

    const [line] = parsed() as [Record<string, Record<string, Record<string, unknown>>>];
    for (const f of FIELDS) {
      expect(line[f], f).toBe("[redacted]");
      expect(line.request![f], `request.${f}`).toBe("[redacted]");
      expect(line.response!.body![f], `response.body.${f}`).toBe("[redacted]");
    }
    // Everything else is kept.
    expect(line.request!.url).toBe("https://api.example/pair/");
    expect(line.response!.body!.terminal_id).toBe("T-1");
    expect(line.userId).toBe(7);
    expect(line.msg).toBe("pairing call");
  });
});

describe("log level", () => {
  it("comes from the validated configuration (env.logLevel), not from the raw variable", () => {
    const env = getEnv();
    const saved = env.logLevel;
    process.env.LOG_LEVEL = "silent";
    try {
      env.logLevel = "error";
      expect(createLogger({ write: () => undefined }).level).toBe("error");
    } finally {
      env.logLevel = saved;
    }
  });
});
