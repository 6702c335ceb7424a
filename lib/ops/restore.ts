/**
 * `npm run restore`: puts a backup in place of the database, after checking that
 * - no process has the target database open (SQLite's own locks, see `lockDatabase`);
 * - the file is a Pairdesk database, intact, whose migrations this code knows (an older one is
 *   fine: its missing migrations are applied here, as a start would);
 * - the configured VAULT_KEY opens its stored secrets (else it names the key ids it needs).
 * The replaced database is kept beside the target (`<db>.replaced-<UTC time>`), and the backup's
 * recovery spool records are added to the spool (never over a file).
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { sqliteSql, hasTable } from "./sql";
import { writeAudit } from "../audit/audit";
import { openDatabase } from "../db/open";
import type { VaultKey } from "../env";
import { readSpoolRecord, scanSpoolFolder, writeSpoolRecord } from "../pairing/recovery-record";
import { backupSpoolDir } from "./backup";
import {
  CORE_TABLES,
  fileStamp,
  fsyncDir,
  fsyncFile,
  knownMigrations,
  migrationState,
  OperatorError,
  tableCounts,
  type MigrationState,
  type TableCount,
} from "./database";
import { checkSecretsOpen, describeUnopened, spoolByKey, type KeyCount, type OpenCheck } from "./secrets";

const IN_USE_MESSAGE =
  "is in use by another process — a running Pairdesk server, or a command such as npm run backup. Stop the server (and wait for the command) first, then restore.";

/**
 * Takes SQLite's exclusive lock on the database and keeps it until the returned connection is
 * closed. A running server keeps its connection open for its whole life, and in WAL mode an
 * open connection holds a shared lock on the file even when idle, so the exclusive lock is
 * refused (SQLITE_BUSY) while any server or command has the database open. The locks are the
 * operating system's (fcntl), released when a process dies, so a crashed server (kill -9, power
 * cut) never blocks a restore the way a stale PID file would. The database is switched to a
 * single file (journal_mode DELETE: its write-ahead log checkpointed and removed), so the file
 * kept aside is complete. While the lock is held, a starting server waits, then fails to open it.
 */
function lockDatabase(file: string): Database.Database {
  let conn: Database.Database;
  try {
    conn = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch (err) {
    throw new OperatorError(`Cannot open the current database ${file}: ${(err as Error).message}`);
  }
  try {
    conn.pragma("locking_mode = EXCLUSIVE");
    conn.exec("BEGIN EXCLUSIVE");
    conn.exec("COMMIT");
    conn.pragma("journal_mode = DELETE");
    return conn;
  } catch (err) {
    conn.close();
    if ((err as { code?: string }).code?.startsWith("SQLITE_BUSY")) throw new OperatorError(`The database ${file} ${IN_USE_MESSAGE}`);
    throw new OperatorError(
      `Cannot lock the current database ${file} (${(err as Error).message}). If it is damaged, move it away yourself, then restore.`,
    );
  }
}

type BackupInspection = {
  tables: TableCount[];
  migrations: MigrationState;
  vault: OpenCheck;
  spool: { dir: string | null; records: number; unreadable: number; byKey: KeyCount[] };
};

/** Checks a database file as a backup to restore; throws OperatorError saying what is wrong. */
async function inspectBackup(file: string, label: string, keys: VaultKey[], spoolDir: string | null): Promise<BackupInspection> {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma("schema_version"); // reads the header: "file is not a database" surfaces here
  } catch (err) {
    throw new OperatorError(`${label} is not a SQLite database (${(err as Error).message}).`);
  }
  try {
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new OperatorError(`${label} is damaged: SQLite's check says ${String(check)}.`);
    const sql = sqliteSql(db);
    const missing: string[] = [];
    for (const t of [...CORE_TABLES, "__drizzle_migrations"]) if (!(await hasTable(sql, t))) missing.push(t);
    if (missing.length > 0) throw new OperatorError(`${label} is not a Pairdesk database: it has no ${missing.join(", ")} table.`);
    const migrations = await migrationState(sql, knownMigrations());
    if (migrations.unknown > 0) {
      throw new OperatorError(
        `${label} was written by a newer Pairdesk (or another branch): it has ${migrations.unknown} migration${migrations.unknown === 1 ? "" : "s"} this code does not know (it knows ${migrations.known}). Restore it with the Pairdesk version that wrote it, or upgrade this one first.`,
      );
    }
    const vault = await checkSecretsOpen(sql, keys);
    if (vault.total > 0 && vault.opened.length === 0) {
      throw new OperatorError(
        `VAULT_KEY opens none of the ${vault.total} secrets in ${label}. The backup needs the key${vault.byKey.length === 1 ? "" : "s"} ${describeUnopened(vault)}. Set VAULT_KEY to a keyring that holds ${vault.byKey.length === 1 ? "it" : "them"} (VAULT_KEY=<id>:<base64>,…) and run the restore again.`,
      );
    }
    const spool = spoolDir && fs.existsSync(spoolDir) ? { dir: spoolDir, ...spoolByKey(spoolDir, keys) } : { dir: null, records: 0, unreadable: 0, byKey: [] };
    return { tables: await tableCounts(sql), migrations, vault, spool };
  } finally {
    db.close();
  }
}

export type RestoreOptions = {
  from: string;
  databasePath: string;
  recoveryDir: string;
  keys: VaultKey[];
  /** Only check the backup (file, migrations, vault key); change nothing. */
  checkOnly?: boolean;
};

export type RestoreResult = {
  inspection: BackupInspection;
  restored: boolean;
  /** Where the replaced database was kept, if there was one. */
  keptAs: string | null;
  spoolImported: number;
  spoolAlreadyThere: number;
  ms: number;
};

export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const from = path.resolve(options.from);
  const target = path.resolve(options.databasePath);
  const dir = path.dirname(target);
  if (!fs.existsSync(from) || !fs.statSync(from).isFile()) throw new OperatorError(`No backup file at ${from}.`);
  if (from === target) throw new OperatorError(`${from} is the database itself: give a backup file.`);
  const fromSpool = fs.existsSync(backupSpoolDir(from)) ? backupSpoolDir(from) : null;

  if (options.checkOnly) {
    // A private copy: checking never writes to the backup (nor needs it writable).
    const tmp = path.join(fs.mkdtempSync(path.join(path.dirname(from), ".pairdesk-check-")), "backup.db");
    try {
      fs.copyFileSync(from, tmp);
      const inspection = await inspectBackup(tmp, from, options.keys, fromSpool);
      return { inspection, restored: false, keptAs: null, spoolImported: 0, spoolAlreadyThere: 0, ms: performance.now() - started };
    } finally {
      fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
    }
  }

  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(target)}.restore-${process.pid}.tmp`);
  const removeTmp = () => {
    for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  };
  let lock: Database.Database | null = null;
  try {
    // The backup is checked on a private copy first: a refused file never touches the database.
    removeTmp();
    fs.copyFileSync(from, tmp);
    fs.chmodSync(tmp, 0o600);
    const inspection = await inspectBackup(tmp, from, options.keys, fromSpool);
    // Then the database: held exclusively from here to the swap, or refused while in use.
    if (fs.existsSync(target)) lock = lockDatabase(target);

    // Bring it to this code's schema now, as the next start would (a failure shows here, with
    // the current database untouched), and record the restore in its own audit log.
    const db = openDatabase(tmp);
    try {
      await writeAudit(db, {
        actor: null,
        action: "database.restore",
        merchantId: null,
        details: {
          by: "operator (npm run restore)",
          backupFile: path.basename(from),
          migrationsApplied: inspection.migrations.pending.length,
          secrets: inspection.vault.total,
        },
      });
    } finally {
      // Left in WAL mode, as the server runs it (so nothing at the database's name ever needs a
      // rollback journal); the last close folds the log into the file.
      db.close();
    }
    if (fs.existsSync(`${tmp}-wal`) && fs.statSync(`${tmp}-wal`).size > 0) throw new Error(`${tmp}-wal was not folded into the restored file.`);
    fsyncFile(tmp);

    // The backup's spool first: credentials waiting in it must not depend on the swap below.
    let spoolImported = 0;
    let spoolAlreadyThere = 0;
    if (fromSpool) {
      const present = scanSpoolFolder(options.recoveryDir).records.map((r) => `${r.record.attemptId}/${r.record.sealed.ciphertext}`);
      for (const { record } of scanSpoolFolder(fromSpool).records) {
        if (present.includes(`${record.attemptId}/${record.sealed.ciphertext}`)) {
          spoolAlreadyThere++;
          continue;
        }
        writeSpoolRecord(options.recoveryDir, record);
        spoolImported++;
      }
    }

    // The replaced database goes aside (its write-ahead log was folded into it by the lock; the
    // lock's own rollback journal goes when the lock is closed). Without a database, a -wal or
    // -journal left at its name is moved aside too: replayed into the new file, it would corrupt it.
    const aside = `${target}.replaced-${fileStamp()}`;
    let keptAs: string | null = null;
    if (lock) {
      fs.renameSync(target, aside);
      keptAs = aside;
    } else {
      for (const suffix of ["-wal", "-journal"]) {
        const f = `${target}${suffix}`;
        if (fs.existsSync(f) && fs.statSync(f).size > 0) fs.renameSync(f, `${aside}${suffix}`);
        else fs.rmSync(f, { force: true });
      }
    }
    fs.rmSync(`${target}-shm`, { force: true }); // the index of a log that is gone: rebuilt by the next opener
    fs.renameSync(tmp, target);
    fsyncDir(dir);
    return { inspection, restored: true, keptAs, spoolImported, spoolAlreadyThere, ms: performance.now() - started };
  } finally {
    removeTmp();
    lock?.close();
  }
}

/** A spool file of the backup that cannot be read is left where it is; the command names it. */
export function unreadableBackupSpool(from: string): string[] {
  const dir = backupSpoolDir(path.resolve(from));
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => /^attempt-.+\.json$/.test(n))
    .map((n) => path.join(dir, n))
    .filter((f) => readSpoolRecord(f) === null);
}
