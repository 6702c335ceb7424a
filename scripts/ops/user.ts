/**
 * Operators' and tests' user command:
 *   npm run user -- create --email E --password P|- --role admin|support|viewer [--name N]
 *   npm run user -- create --email E --password P|- --role merchant-admin|merchant-viewer --merchant <id or exact name> [--name N]
 *   npm run user -- password --email E --password P|-   (a new password; every session of the user ends)
 * `--password -` reads the password from the first line of standard input instead, so it need
 * not appear in `ps` or the shell's history. Uses DATABASE_PATH (default data/pairdesk.db) and
 * applies migrations first.
 */
import { DomainError } from "../../lib/errors";
import { parseArgs } from "node:util";
import path from "node:path";
import readline from "node:readline";
import { databaseTargetFrom } from "../../lib/db/default-path";
import { describeDatabase } from "../../lib/db/describe";
import { openDatabase } from "../../lib/db/open";
import { isMerchantRole, ROLES, type Role } from "../../lib/domain";
import { findMerchant } from "../../lib/merchants/merchants";
import { eq } from "drizzle-orm";
import { users } from "../../lib/db/schema";
import { createUser, emailSchema, setUserPassword } from "../../lib/users/users";
import { runIfEntryPoint, type CommandIO } from "./command";
import { firstRow } from "../../lib/db/query";

const USAGE =
  "usage: npm run user -- create --email E --password P|- --role admin|support|viewer [--name N]\n" +
  "       npm run user -- create --email E --password P|- --role merchant-admin|merchant-viewer --merchant <id or exact name> [--name N]\n" +
  "       npm run user -- password --email E --password P|-   (sets a new password and signs the user out everywhere)\n" +
  "  --password -  reads the password from the first line of standard input\n" +
  "  staff roles (admin, support, viewer) see every merchant and take no --merchant";

/** The first line of standard input (without its line ending), or undefined when there is none. */
async function firstLineOf(stdin: NodeJS.ReadableStream): Promise<string | undefined> {
  const rl = readline.createInterface({ input: stdin, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of rl) return line;
    return undefined;
  } finally {
    rl.close();
  }
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        email: { type: "string" },
        password: { type: "string" },
        role: { type: "string" },
        name: { type: "string" },
        merchant: { type: "string" },
      },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command] = parsed.positionals;
  if (command === "password") return resetPassword(io, parsed.values.email, parsed.values.password);
  if (command !== "create") {
    io.err(command ? `Unknown command "${command}".\n${USAGE}` : USAGE);
    return 2;
  }
  const { email, role, name, merchant } = parsed.values;
  let password = parsed.values.password;
  if (!email || !password || !role) {
    const missing = [!email && "--email", !password && "--password", !role && "--role"].filter(Boolean).join(", ");
    io.err(`Missing ${missing}.\n${USAGE}`);
    return 2;
  }
  if (!(ROLES as readonly string[]).includes(role)) {
    io.err(`Unknown role "${role}": use one of ${ROLES.join(", ")}.\n${USAGE}`);
    return 2;
  }
  if (isMerchantRole(role) && !merchant) {
    io.err(`The role ${role} needs --merchant <id or exact name>.\n${USAGE}`);
    return 2;
  }
  if (!isMerchantRole(role) && merchant !== undefined) {
    io.err(`${role} is a staff role: staff see every merchant and take no --merchant. For a merchant's person use --role merchant-admin or merchant-viewer.`);
    return 2;
  }
  if (password === "-") {
    password = await firstLineOf(io.stdin ?? process.stdin);
    if (!password) {
      io.err(`--password - found no password on the first line of standard input.\n${USAGE}`);
      return 2;
    }
  }
  const target = databaseTargetFrom(io.env ?? process.env, path.resolve);
  const file = describeDatabase({ databaseUrl: target.startsWith("/") ? undefined : target, databasePath: target });
  const db = openDatabase(target);
  try {
    let merchantId: number | undefined;
    let merchantName = "";
    if (merchant !== undefined) {
      const found = await findMerchant(db, merchant);
      if (!found) {
        io.err(`No merchant "${merchant}": give its id or its exact name (npm run merchant -- list shows them).`);
        return 1;
      }
      merchantId = found.id;
      merchantName = ` of ${found.name} (merchant ${found.id})`;
    }
    const user = await createUser(db, { email, password, role: role as Role, name: name ?? "", merchantId });
    io.out(`Created ${user.role} ${user.email} (id ${user.id})${merchantName} in ${file}.`);
    return 0;
  } catch (err) {
    if (err instanceof DomainError) {
      io.err(`Could not create the user: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}

/** `password --email E --password P|-`: a new password, and every session of that user ended. */
async function resetPassword(io: CommandIO, emailArg: string | undefined, passwordArg: string | undefined): Promise<number> {
  if (!emailArg || !passwordArg) {
    io.err(`Missing ${[!emailArg && "--email", !passwordArg && "--password"].filter(Boolean).join(", ")}.\n${USAGE}`);
    return 2;
  }
  const email = emailSchema.safeParse(emailArg);
  if (!email.success) {
    io.err(`${email.error.issues[0]?.message ?? "Enter a valid email address."}\n${USAGE}`);
    return 2;
  }
  const password = passwordArg === "-" ? await firstLineOf(io.stdin ?? process.stdin) : passwordArg;
  if (!password) {
    io.err(`--password - found no password on the first line of standard input.\n${USAGE}`);
    return 2;
  }
  const target = databaseTargetFrom(io.env ?? process.env, path.resolve);
  const file = describeDatabase({ databaseUrl: target.startsWith("/") ? undefined : target, databasePath: target });
  const db = openDatabase(target);
  try {
    const user = await firstRow(db.select({ id: users.id }).from(users).where(eq(users.email, email.data)).limit(1));
    if (!user) {
      io.err(`No user ${email.data} in ${file}.`);
      return 1;
    }
    const ended = await setUserPassword(db, user.id, password);
    io.out(`New password set for ${email.data}; ${ended} session${ended === 1 ? "" : "s"} ended (signed out everywhere).`);
    return 0;
  } catch (err) {
    if (err instanceof DomainError) {
      io.err(`Could not set the password: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}

runIfEntryPoint(import.meta.url, main);
