/**
 * Operators' merchant command (uses DATABASE_PATH, default data/pairdesk.db; applies migrations):
 *   npm run merchant -- create --name N [--external-ref R]   prints the new merchant's id
 *   npm run merchant -- list
 *   npm run merchant -- suspend <id or exact name>
 *   npm run merchant -- reactivate <id or exact name>
 * Each change is in the audit log, by "operator" (no signed-in actor).
 */
import { caseless } from "../../lib/db/query";
import { DomainError } from "../../lib/errors";
import { parseArgs } from "node:util";
import path from "node:path";
import { databaseTargetFrom } from "../../lib/db/default-path";
import { openDatabase, type DB } from "../../lib/db/open";
import { createMerchant, findMerchant, setMerchantStatus } from "../../lib/merchants/merchants";
import { merchants } from "../../lib/db/schema";
import { asc } from "drizzle-orm";
import { runIfEntryPoint, type CommandIO } from "./command";

const USAGE =
  "usage: npm run merchant -- create --name N [--external-ref R]\n" +
  "       npm run merchant -- list\n" +
  "       npm run merchant -- suspend|reactivate <id or exact name>";

async function run(io: CommandIO, db: DB, command: string, values: { name?: string; "external-ref"?: string }, target: string | undefined): Promise<number> {
  switch (command) {
    case "create": {
      if (!values.name) {
        io.err(`Missing --name.\n${USAGE}`);
        return 2;
      }
      const merchant = await createMerchant(db, { name: values.name, externalRef: values["external-ref"] ?? null }, null);
      // The id alone on the last line: scripts can take it with `tail -1`.
      io.out(`Created the merchant ${merchant.name} (id ${merchant.id}).`);
      io.out(String(merchant.id));
      return 0;
    }
    case "list": {
      const rows = await db
        .select({ id: merchants.id, name: merchants.name, status: merchants.status, externalRef: merchants.externalRef })
        .from(merchants)
        .orderBy(caseless(merchants.name), asc(merchants.id));
      if (rows.length === 0) io.out("No merchants yet: npm run merchant -- create --name N");
      for (const r of rows) io.out(`${r.id}\t${r.status}\t${r.name}${r.externalRef ? `\t(${r.externalRef})` : ""}`);
      return 0;
    }
    case "suspend":
    case "reactivate": {
      if (!target) {
        io.err(`Which merchant? Give its id or exact name.\n${USAGE}`);
        return 2;
      }
      const merchant = await findMerchant(db, target);
      if (!merchant) {
        io.err(`No merchant "${target}": give its id or its exact name (npm run merchant -- list shows them).`);
        return 1;
      }
      const { changed, sessionsEnded } = await setMerchantStatus(db, merchant.id, command === "suspend" ? "suspended" : "active", null);
      io.out(
        !changed
          ? `${merchant.name} was already ${command === "suspend" ? "suspended" : "active"}.`
          : command === "suspend"
            ? `Suspended ${merchant.name}: its people cannot sign in (${sessionsEnded} session(s) ended).`
            : `Reactivated ${merchant.name}: its people can sign in again.`,
      );
      return 0;
    }
    default:
      io.err(`Unknown command "${command}".\n${USAGE}`);
      return 2;
  }
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { name: { type: "string" }, "external-ref": { type: "string" } },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, target] = parsed.positionals;
  if (!command) {
    io.err(USAGE);
    return 2;
  }
  const db = openDatabase(databaseTargetFrom(io.env ?? process.env, path.resolve));
  try {
    return await run(io, db, command, parsed.values, target);
  } catch (err) {
    if (err instanceof DomainError) {
      io.err(`Could not ${command} the merchant: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}

runIfEntryPoint(import.meta.url, main);
