/**
 * `npm run bench:pages`: the register pages (bench-pages.ts), then the terminals and transactions
 * pages at scale (bench-transaction-pages.ts), one after the other. npm appends the arguments
 * after `--` to the end of a script's command line, so with two commands joined by `&&` they
 * reached only the second (which refused `--dump`). Here each script gets the options it takes:
 * `--dump` the first; `--transactions`, `--terminals` and `--quick` the second; `--runs` and
 * `--port` both (they run one after the other, so one port serves both). An unknown option is
 * refused before anything runs.
 *
 *   npm run bench:pages [-- --runs 20 --port 3199 --dump /tmp/pages --quick]
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { runIfEntryPoint, type CommandIO } from "../ops/command";

const SCRIPTS = {
  registers: "scripts/bench/bench-pages.ts",
  transactions: "scripts/bench/bench-transaction-pages.ts",
} as const;
type Bench = keyof typeof SCRIPTS;

/** Each option, its type, and which of the two scripts takes it. */
const OPTIONS: Record<string, { type: "string" | "boolean"; for: readonly Bench[] }> = {
  dump: { type: "string", for: ["registers"] },
  transactions: { type: "string", for: ["transactions"] },
  terminals: { type: "string", for: ["transactions"] },
  quick: { type: "boolean", for: ["transactions"] },
  runs: { type: "string", for: ["registers", "transactions"] },
  port: { type: "string", for: ["registers", "transactions"] },
};

const USAGE = "usage: npm run bench:pages [-- --runs N --port N --dump DIR --transactions N --terminals N --quick]";

/** The arguments for each script, from the command's own (throws on an unknown option or a missing value). */
export function pageBenchArgs(argv: string[]): Record<Bench, string[]> {
  const { tokens } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.entries(OPTIONS).map(([name, o]) => [name, { type: o.type }])),
    strict: true,
    allowPositionals: false,
    tokens: true,
  });
  const out: Record<Bench, string[]> = { registers: [], transactions: [] };
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const words = token.value === undefined ? [`--${token.name}`] : [`--${token.name}`, token.value];
    for (const bench of OPTIONS[token.name]!.for) out[bench].push(...words);
  }
  return out;
}

export async function main(argv: string[], io: CommandIO, run = runScript): Promise<number> {
  let args: Record<Bench, string[]>;
  try {
    args = pageBenchArgs(argv);
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    io.err(USAGE);
    return 2;
  }
  for (const bench of Object.keys(SCRIPTS) as Bench[]) {
    const code = run(SCRIPTS[bench], args[bench]);
    if (code !== 0) return code;
  }
  return 0;
}

/** Runs one bench script as the npm script did: tsx with the react-server condition, its output on ours. */
function runScript(script: string, args: string[]): number {
  const r = spawnSync("tsx", ["--conditions=react-server", script, ...args], { stdio: "inherit" });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

runIfEntryPoint(import.meta.url, main);
