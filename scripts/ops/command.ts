/**
 * What every operator command shares: `main(argv, io)` does the work and returns the exit code;
 * the process (`npm run <command>`) is a thin shell around it, so that the tests call `main` in
 * their own process and spawn the real command once each.
 */
import fs from "node:fs";
import { pathToFileURL } from "node:url";

type Env = Record<string, string | undefined>;

export type CommandIO = {
  /** One line of standard output (without its line ending). */
  out(line: string): void;
  /** One line of standard error. */
  err(line: string): void;
  /** The settings (DATABASE_PATH, VAULT_KEY…); process.env when absent. */
  env?: Env;
  /** Standard input (for `--password -`, `--from-log -`); process.stdin when absent. */
  stdin?: NodeJS.ReadableStream;
};

type Command = (argv: string[], io: CommandIO) => Promise<number>;

/** The process's own: its standard streams (synchronous on Linux for files and pipes) and environment. */
const processIO: CommandIO = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  env: process.env,
  stdin: process.stdin,
};

/** Whether the module at `moduleUrl` is the script node (or tsx) was started with. */
function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return moduleUrl === pathToFileURL(fs.realpathSync(entry)).href || moduleUrl === pathToFileURL(entry).href;
  } catch {
    return false;
  }
}

/**
 * Runs `main` with the process's arguments and streams when the module is the script being run
 * (not when a test imports it), and exits with its code; an unexpected error is printed, exit 1.
 */
export function runIfEntryPoint(moduleUrl: string, main: Command): void {
  if (!isEntryPoint(moduleUrl)) return;
  main(process.argv.slice(2), processIO).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
