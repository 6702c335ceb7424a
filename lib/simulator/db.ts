/**
 * The simulator's own SQLite file (never the app's database): it plays Pay-Connect, so it holds
 * the provider's side of each pairing. Client secrets and access tokens are stored only as
 * SHA-256 hashes; the webhook secret key is kept because the simulator signs webhooks with it.
 * No `server-only` marker: the tests open it directly.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { PAYMENTS_SCHEMA } from "./payment-rows";
import { WEBHOOKS_SCHEMA } from "./webhooks";

export type SimulatorDatabase = Database.Database;

/**
 * The pairings table's columns. \`replaced\`: Pay-Connect pairs a terminal once per integration
 * and environment, so a new pairing of the same integrator ends the terminal's active one.
 */
const PAIRINGS_COLUMNS = `  pay_connect_id       TEXT PRIMARY KEY,
  terminal_id          TEXT NOT NULL REFERENCES terminals(terminal_id) ON DELETE CASCADE,
  name                 TEXT NOT NULL,
  webhook_url          TEXT,
  integrator_id        TEXT NOT NULL,
  client_id            TEXT NOT NULL UNIQUE,
  client_secret_sha256 TEXT NOT NULL,
  webhook_secret_key   TEXT,
  status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'replaced', 'unpaired')),
  created_at           INTEGER NOT NULL,
  unpaired_at          INTEGER,
  replaced_at          INTEGER`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS terminals (
  terminal_id TEXT PRIMARY KEY,
  label       TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS otps (
  otp         TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL REFERENCES terminals(terminal_id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
);
CREATE INDEX IF NOT EXISTS otps_terminal_idx ON otps(terminal_id, created_at);
CREATE TABLE IF NOT EXISTS pairings (
${PAIRINGS_COLUMNS}
);
CREATE INDEX IF NOT EXISTS pairings_terminal_idx ON pairings(terminal_id, created_at);
CREATE TABLE IF NOT EXISTS tokens (
  token_sha256   TEXT PRIMARY KEY,
  pay_connect_id TEXT NOT NULL REFERENCES pairings(pay_connect_id) ON DELETE CASCADE,
  expires_at     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_pairing_idx ON tokens(pay_connect_id);
CREATE TABLE IF NOT EXISTS faults (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT NOT NULL,
  remaining  INTEGER NOT NULL CHECK (remaining > 0),
  delay_ms   INTEGER,
  created_at INTEGER NOT NULL,
  -- The simulated terminal whose calls the fault applies to; NULL: every terminal's calls.
  terminal_id TEXT
);
-- Every provider call answered (pair, token, unpair): never a secret, OTP or token.
CREATE TABLE IF NOT EXISTS calls (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  call        TEXT NOT NULL,
  -- The simulated terminal the call concerned; NULL when none could be determined.
  terminal_id TEXT,
  status      INTEGER NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS calls_terminal_idx ON calls(terminal_id, id);
`;

/**
 * A file made before pairings could be \`replaced\` has a CHECK that refuses the status (SQLite
 * cannot alter a CHECK): the table is rebuilt with the current columns, rows kept, inside one
 * transaction with foreign keys off so that no token is cascaded away. Does nothing on a file
 * whose table already allows it.
 */
function allowReplacedPairings(db: SimulatorDatabase): void {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'pairings'").get() as
    | { sql: string }
    | undefined;
  if (!row || row.sql.includes("'replaced'")) return;
  const old = (db.prepare("PRAGMA table_info(pairings)").all() as { name: string }[]).map((c) => c.name);
  db.pragma("foreign_keys = OFF");
  try {
    db.transaction(() => {
      // Another process may have rebuilt it while this one waited for the write lock.
      const now = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'pairings'").get() as { sql: string };
      if (now.sql.includes("'replaced'")) return;
      db.exec(`CREATE TABLE pairings_rebuilt (\n${PAIRINGS_COLUMNS}\n)`);
      const columns = old.join(", ");
      db.exec(`INSERT INTO pairings_rebuilt (${columns}) SELECT ${columns} FROM pairings`);
      db.exec("DROP TABLE pairings");
      db.exec("ALTER TABLE pairings_rebuilt RENAME TO pairings");
      db.exec("CREATE INDEX IF NOT EXISTS pairings_terminal_idx ON pairings(terminal_id, created_at)");
      const broken = db.pragma("foreign_key_check") as unknown[];
      if (broken.length > 0) throw new Error("The simulator's pairings table could not be rebuilt: foreign keys broken.");
    }).immediate();
  } finally {
    db.pragma("foreign_keys = ON");
  }
}

/** Columns added after a table was first created: added to an older simulator file on open. */
const ADDED_COLUMNS: { table: string; column: string; definition: string }[] = [
  { table: "faults", column: "terminal_id", definition: "TEXT" },
  { table: "sim_transactions", column: "expires_at", definition: "INTEGER" },
  { table: "sim_terminal_settings", column: "payment_expiry_ms", definition: "INTEGER" },
];

/** Opens (creating if needed) the simulator database at `file`, or in memory for ":memory:". */
export function openSimulatorDatabase(file: string): SimulatorDatabase {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = NORMAL");
  db.exec(SCHEMA);
  db.exec(PAYMENTS_SCHEMA);
  db.exec(WEBHOOKS_SCHEMA);
  for (const { table, column, definition } of ADDED_COLUMNS) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
  db.exec("CREATE INDEX IF NOT EXISTS faults_terminal_idx ON faults(terminal_id, id)");
  allowReplacedPairings(db);
  if (file !== ":memory:") {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      try {
        fs.chmodSync(f, 0o600);
      } catch {
        // the -wal/-shm files may not exist yet
      }
    }
  }
  return db;
}
