import { describe, expect, it } from "vitest";
import { main, pageBenchArgs } from "./bench-all-pages";

describe("npm run bench:pages", () => {
  it("gives each script the options it takes: --dump to the register pages, --runs and --port to both", () => {
    expect(pageBenchArgs(["--dump", "/tmp/pages", "--runs", "5", "--quick", "--port=3300", "--transactions", "1000"])).toEqual({
      registers: ["--dump", "/tmp/pages", "--runs", "5", "--port", "3300"],
      transactions: ["--runs", "5", "--quick", "--port", "3300", "--transactions", "1000"],
    });
    expect(pageBenchArgs([])).toEqual({ registers: [], transactions: [] });
  });

  it("runs the register pages, then the transaction pages, and stops at the first failure", async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const ran: [string, string[]][] = [];
    expect(await main(["--dump", "/tmp/d"], io, (script, args) => (ran.push([script, args]), 0))).toBe(0);
    expect(ran).toEqual([
      ["scripts/bench/bench-pages.ts", ["--dump", "/tmp/d"]],
      ["scripts/bench/bench-transaction-pages.ts", []],
    ]);
    ran.length = 0;
    expect(await main([], io, (script, args) => (ran.push([script, args]), 3))).toBe(3);
    expect(ran).toHaveLength(1);
  });

  it("refuses an unknown option before running anything", async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    let ran = 0;
    expect(await main(["--dumb", "/tmp/d"], io, () => (ran++, 0))).toBe(2);
    expect(ran).toBe(0);
    expect(lines.join("\n")).toMatch(/Unknown option '--dumb'[\s\S]*usage: npm run bench:pages/);
  });
});
