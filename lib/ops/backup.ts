/**
 * `npm run backup`: a consistent copy of the live database through SQLite's online backup API,
 * safe while the server writes. The whole database is copied in one backup step, inside one read
 * transaction on the source: a snapshot of one moment that WAL lets writers continue past (a
 * backup in many small steps would restart each time another connection writes).
 *
 * The copy is written to a temporary name beside the target, switched to a single file
 * (journal_mode DELETE), checked, fsynced and renamed into place (never over an existing file
 * unless `force`). The recovery spool is copied first, into `<out>.recovery/`, when it holds
 * anything: a pairing in flight is then either in the copy of the database or in the copied
 * spool (its file is written before the database commit and removed after it), never in neither.
 *
 * Reads nothing of the vault: the copy holds the secrets sealed, never the key.
 */
import { sqliteSql } from "./sql";
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import {
  fsyncDir,
  fsyncFile,
  knownMigrations,
  migrationState,
  OperatorError,
  tableCounts,
  type MigrationState,
  type TableCount,
} from "./database";

export type BackupOptions = {
  databasePath: string;
  recoveryDir: string;
  out: string;
  /** Replace an existing file at `out` (and its `.recovery` folder). */
  force?: boolean;
};

export type BackupResult = {
  file: string;
  bytes: number;
  ms: number;
  takenAt: Date;
  tables: TableCount[];
  migrations: MigrationState;
  /** The copied spool folder, or null when the spool held nothing. */
  spoolDir: string | null;
  spoolFiles: number;
};

/** The spool folder that goes with a backup file. */
export function backupSpoolDir(backupFile: string): string {
  return `${backupFile}.recovery`;
}

/** Spool files: the recovery records, readable or not (a damaged one is copied as it is). */
function spoolFileNames(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new OperatorError(`Cannot read the recovery spool ${dir}: ${(err as Error).message}`);
  }
  return names.filter((n) => /^attempt-.+\.json$/.test(n)).sort();
}

export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const databasePath = path.resolve(options.databasePath);
  const out = path.resolve(options.out);
  const outDir = path.dirname(out);
  const base = path.basename(out);

  if ([databasePath, `${databasePath}-wal`, `${databasePath}-shm`].includes(out)) {
    throw new OperatorError(`${out} is the live database itself: give another file for the backup.`);
  }
  if (!fs.existsSync(databasePath)) {
    throw new OperatorError(`No database at ${databasePath}: set DATABASE_PATH to the server's database.`);
  }
  if (!fs.existsSync(outDir) || !fs.statSync(outDir).isDirectory()) {
    throw new OperatorError(`The folder ${outDir} does not exist: create it first.`);
  }
  if (fs.existsSync(out) && !options.force) {
    throw new OperatorError(`${out} already exists: give another file, or pass --force to replace it.`);
  }
  if (fs.existsSync(backupSpoolDir(out)) && !options.force) {
    throw new OperatorError(`${backupSpoolDir(out)} already exists: give another file, or pass --force to replace it.`);
  }

  const tmp = path.join(outDir, `.${base}.${process.pid}.tmp`);
  const tmpSpool = path.join(outDir, `.${base}.recovery.${process.pid}.tmp`);
  const cleanUp = () => {
    for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
    fs.rmSync(tmpSpool, { recursive: true, force: true });
  };
  cleanUp();
  try {
    // 1. The spool, before the database (see above).
    const spoolNames = spoolFileNames(options.recoveryDir);
    if (spoolNames.length > 0) {
      fs.mkdirSync(tmpSpool, { mode: 0o700 });
      for (const name of spoolNames) {
        const target = path.join(tmpSpool, name);
        try {
          fs.copyFileSync(path.join(options.recoveryDir, name), target);
        } catch (err) {
          // Completed (and removed) by the server while we copied: its pairing is in the database.
          if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
          throw err;
        }
        fs.chmodSync(target, 0o600);
        fsyncFile(target);
      }
      fsyncDir(tmpSpool);
    }

    // 2. The database, in one step: one read transaction, one moment.
    const source = new Database(databasePath, { fileMustExist: true, timeout: 5000 });
    let takenAt: Date;
    try {
      await source.backup(tmp, { progress: () => 0x7fffffff });
      takenAt = new Date();
    } finally {
      source.close();
    }

    // 3. A single file, checked, private and durable.
    const copy = new Database(tmp, { fileMustExist: true });
    let tables: TableCount[];
    let migrations: MigrationState;
    try {
      copy.pragma("journal_mode = DELETE");
      const check = copy.pragma("quick_check", { simple: true });
      if (check !== "ok") throw new OperatorError(`The copy failed SQLite's check (${String(check)}): the live database may be damaged.`);
      tables = await tableCounts(sqliteSql(copy));
      migrations = await migrationState(sqliteSql(copy), knownMigrations());
    } finally {
      copy.close();
    }
    fs.chmodSync(tmp, 0o600);
    fsyncFile(tmp);

    // 4. Into place: the spool folder first, the database file last.
    const outSpool = backupSpoolDir(out);
    const spoolFiles = fs.existsSync(tmpSpool) ? fs.readdirSync(tmpSpool).length : 0;
    if (options.force) fs.rmSync(outSpool, { recursive: true, force: true });
    if (spoolFiles > 0) fs.renameSync(tmpSpool, outSpool);
    else fs.rmSync(tmpSpool, { recursive: true, force: true });
    if (options.force) {
      fs.renameSync(tmp, out);
    } else {
      try {
        fs.linkSync(tmp, out); // fails if the file appeared meanwhile: never over another file
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") {
          throw new OperatorError(`${out} already exists: give another file, or pass --force to replace it.`);
        }
        throw err;
      }
      fs.rmSync(tmp, { force: true });
    }
    fsyncDir(outDir);

    return {
      file: out,
      bytes: fs.statSync(out).size,
      ms: performance.now() - started,
      takenAt,
      tables,
      migrations,
      spoolDir: spoolFiles > 0 ? outSpool : null,
      spoolFiles,
    };
  } finally {
    cleanUp();
  }
}
