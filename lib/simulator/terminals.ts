/**
 * Simulated terminals and the OTPs they show. An OTP is 8 characters from an alphabet without
 * look-alikes (no 0/O, 1/I/L), valid for 5 minutes, usable once. Generating a new OTP does not
 * cancel an earlier unused one (assumption: the real terminal's behaviour is not documented).
 * An OTP is compared without regard to case or white space (normalizeOtp).
 */
import { randomFrom, type SimulatorContext } from "./context";

const TERMINAL_ID_PREFIX = "SIM-";
const TERMINAL_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
export const OTP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const OTP_LENGTH = 8;
export const OTP_LIFETIME_MS = 5 * 60 * 1000;
export const TERMINAL_ID_PATTERN = /^SIM-[A-Z0-9]{8}$/;

export type SimulatedTerminal = { terminalId: string; label: string; createdAt: number };

/**
 * `active`; `replaced` once the same integrator paired the terminal again (Pay-Connect pairs a
 * terminal once per integration); `unpaired` once ended by an unpair call or on the terminal.
 */
type SimulatedPairingStatus = "active" | "replaced" | "unpaired";

/** A pairing as the terminal shows it: no credentials. */
type SimulatedPairingSummary = {
  payConnectId: string;
  name: string;
  status: SimulatedPairingStatus;
  webhookUrl: string | null;
  createdAt: number;
  unpairedAt: number | null;
  /** When a new pairing of the same integrator replaced it. */
  replacedAt: number | null;
};

export type SimulatedTerminalWithPairings = SimulatedTerminal & { pairings: SimulatedPairingSummary[] };

export type GeneratedOtp = { otp: string; terminalId: string; expiresAt: number };

type TerminalRow = { terminal_id: string; label: string; created_at: number };
type PairingRow = {
  pay_connect_id: string;
  terminal_id: string;
  name: string;
  status: SimulatedPairingStatus;
  webhook_url: string | null;
  created_at: number;
  unpaired_at: number | null;
  replaced_at: number | null;
};

function toTerminal(row: TerminalRow): SimulatedTerminal {
  return { terminalId: row.terminal_id, label: row.label, createdAt: row.created_at };
}

function toPairing(row: PairingRow): SimulatedPairingSummary {
  return {
    payConnectId: row.pay_connect_id,
    name: row.name,
    status: row.status,
    webhookUrl: row.webhook_url,
    createdAt: row.created_at,
    unpairedAt: row.unpaired_at,
    replacedAt: row.replaced_at,
  };
}

/** Adds a simulated terminal. Label: trimmed, at most 60 characters, defaulted when empty. */
export function createTerminal(ctx: SimulatorContext, input: { label?: string } = {}): SimulatedTerminal {
  const { db } = ctx;
  return db.transaction(() => {
    const count = (db.prepare("SELECT count(*) AS n FROM terminals").get() as { n: number }).n;
    const label = input.label?.trim().slice(0, 60) || `Simulated terminal ${count + 1}`;
    return insertTerminal(ctx, label);
  }).immediate();
}

/** Inserts a terminal with a fresh id; call it inside a transaction. */
function insertTerminal(ctx: SimulatorContext, label: string): SimulatedTerminal {
  const insert = ctx.db.prepare("INSERT OR IGNORE INTO terminals (terminal_id, label, created_at) VALUES (?, ?, ?)");
  for (let attempt = 0; attempt < 10; attempt++) {
    const terminalId = TERMINAL_ID_PREFIX + randomFrom(TERMINAL_ID_ALPHABET, 8);
    const createdAt = ctx.now();
    if (insert.run(terminalId, label, createdAt).changes === 1) return { terminalId, label, createdAt };
  }
  throw new Error("Could not allocate a simulated terminal id.");
}

export function getTerminal(ctx: SimulatorContext, terminalId: string): SimulatedTerminal | null {
  const row = ctx.db
    .prepare("SELECT terminal_id, label, created_at FROM terminals WHERE terminal_id = ?")
    .get(terminalId) as TerminalRow | undefined;
  return row ? toTerminal(row) : null;
}

const PAIRING_COLUMNS = "pay_connect_id, terminal_id, name, status, webhook_url, created_at, unpaired_at, replaced_at";

/**
 * The terminals named by `terminalIds` that exist, in that order, each with its pairings (newest
 * first, no secrets): what the simulator's screens show.
 */
export function getTerminalsWithPairings(ctx: SimulatorContext, terminalIds: readonly string[]): SimulatedTerminalWithPairings[] {
  const pairingsOf = ctx.db.prepare(
    `SELECT ${PAIRING_COLUMNS} FROM pairings WHERE terminal_id = ? ORDER BY created_at DESC, rowid DESC`,
  );
  const out: SimulatedTerminalWithPairings[] = [];
  for (const id of terminalIds) {
    const terminal = getTerminal(ctx, id);
    if (terminal) out.push({ ...terminal, pairings: (pairingsOf.all(id) as PairingRow[]).map(toPairing) });
  }
  return out;
}

/** The newest `limit` simulated terminals, newest first (no pairings), and how many exist. */
export function recentTerminals(ctx: SimulatorContext, limit: number): { terminals: SimulatedTerminal[]; total: number } {
  const rows = ctx.db
    .prepare("SELECT terminal_id, label, created_at FROM terminals ORDER BY created_at DESC, rowid DESC LIMIT ?")
    .all(limit) as TerminalRow[];
  const total = (ctx.db.prepare("SELECT count(*) AS n FROM terminals").get() as { n: number }).n;
  return { terminals: rows.map(toTerminal), total };
}

/** The ids of the terminals among `terminalIds` that have an active pairing. */
export function pairedTerminalIds(ctx: SimulatorContext, terminalIds: readonly string[]): Set<string> {
  const isPaired = ctx.db.prepare("SELECT 1 FROM pairings WHERE terminal_id = ? AND status = 'active' LIMIT 1");
  return new Set(terminalIds.filter((id) => isPaired.get(id) !== undefined));
}

/**
 * Makes sure a simulated terminal exists for each label (trimmed, at most 60 characters, not
 * empty) and returns them in the order given: the oldest terminal with that label when one
 * exists, else a new one. Idempotent, in one transaction: a demo started twice adds nothing the
 * second time. The same label given twice is the same terminal.
 */
export function ensureSimulatedTerminals(ctx: SimulatorContext, labels: readonly string[]): SimulatedTerminal[] {
  const wanted = labels.map((l) => l.trim().slice(0, 60));
  if (wanted.some((l) => l === "")) throw new Error("A simulated terminal's label cannot be empty.");
  const { db } = ctx;
  return db.transaction(() => {
    const byLabel = db.prepare(
      "SELECT terminal_id, label, created_at FROM terminals WHERE label = ? ORDER BY created_at, rowid LIMIT 1",
    );
    return wanted.map((label) => {
      const row = byLabel.get(label) as TerminalRow | undefined;
      return row ? toTerminal(row) : insertTerminal(ctx, label);
    });
  }).immediate();
}

/** Every simulated terminal, oldest first, with its pairings (newest first, no secrets). */
export function listTerminals(ctx: SimulatorContext): SimulatedTerminalWithPairings[] {
  const terminals = ctx.db
    .prepare("SELECT terminal_id, label, created_at FROM terminals ORDER BY created_at, rowid")
    .all() as TerminalRow[];
  const pairings = ctx.db
    .prepare(
      `SELECT ${PAIRING_COLUMNS} FROM pairings ORDER BY created_at DESC, rowid DESC`,
    )
    .all() as PairingRow[];
  const byTerminal = new Map<string, SimulatedPairingSummary[]>();
  for (const p of pairings) {
    const list = byTerminal.get(p.terminal_id) ?? [];
    list.push(toPairing(p));
    byTerminal.set(p.terminal_id, list);
  }
  return terminals.map((t) => ({ ...toTerminal(t), pairings: byTerminal.get(t.terminal_id) ?? [] }));
}

/**
 * Shows a new OTP on the terminal: unique among all OTPs ever issued, valid OTP_LIFETIME_MS.
 * Returns null when the terminal does not exist.
 */
export function generateOtp(ctx: SimulatorContext, terminalId: string): GeneratedOtp | null {
  const { db } = ctx;
  return db.transaction(() => {
    if (!getTerminal(ctx, terminalId)) return null;
    const now = ctx.now();
    // OTPs that expired more than a day ago are of no use, even for the "expired" answer.
    db.prepare("DELETE FROM otps WHERE expires_at < ?").run(now - 24 * 60 * 60 * 1000);
    const insert = db.prepare(
      "INSERT OR IGNORE INTO otps (otp, terminal_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    );
    for (let attempt = 0; attempt < 10; attempt++) {
      const otp = randomFrom(OTP_ALPHABET, OTP_LENGTH);
      const expiresAt = now + OTP_LIFETIME_MS;
      if (insert.run(otp, terminalId, now, expiresAt).changes === 1) return { otp, terminalId, expiresAt };
    }
    throw new Error("Could not allocate a unique OTP.");
  }).immediate();
}

/** The newest OTP of the terminal that is still usable (unused, unexpired), as its screen shows. */
export function currentOtp(ctx: SimulatorContext, terminalId: string): GeneratedOtp | null {
  const row = ctx.db
    .prepare(
      `SELECT otp, expires_at FROM otps
       WHERE terminal_id = ? AND used_at IS NULL AND expires_at > ?
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    )
    .get(terminalId, ctx.now()) as { otp: string; expires_at: number } | undefined;
  return row ? { otp: row.otp, terminalId, expiresAt: row.expires_at } : null;
}

/**
 * An OTP as typed, in the form the terminal issued it: case does not matter (the screen shows
 * capitals, people type `464a3qhd` for `464A3QHD`), and neither does white space anywhere in it
 * (a code read out in groups, `464A 3QHD`, is still the same code; the alphabet has no space).
 */
function normalizeOtp(typed: string): string {
  return typed.replace(/\s+/g, "").toUpperCase();
}

/**
 * Consumes an OTP (compared after normalizeOtp): returns its terminal id when it exists, is
 * unused and unexpired, and marks it used in the same statement (so two concurrent pair calls
 * cannot both use it). Call it inside the transaction that records the pairing.
 */
export function consumeOtp(ctx: SimulatorContext, otp: string): string | null {
  const now = ctx.now();
  const row = ctx.db
    .prepare(
      `UPDATE otps SET used_at = ? WHERE otp = ? AND used_at IS NULL AND expires_at > ?
       RETURNING terminal_id`,
    )
    .get(now, normalizeOtp(otp), now) as { terminal_id: string } | undefined;
  return row?.terminal_id ?? null;
}

/** Why `otp` cannot pair: never issued, already used, or expired (as the terminal knows it). */
export function otpRefusal(ctx: SimulatorContext, otp: string): "unknown" | "used" | "expired" {
  const row = ctx.db.prepare("SELECT used_at, expires_at FROM otps WHERE otp = ?").get(normalizeOtp(otp)) as
    | { used_at: number | null; expires_at: number }
    | undefined;
  if (!row) return "unknown";
  return row.used_at !== null ? "used" : "expired";
}

/** The terminal that issued `otp` (used, expired or not), or null: whose faults a pair call takes. */
export function terminalOfOtp(ctx: SimulatorContext, otp: string): string | null {
  const row = ctx.db.prepare("SELECT terminal_id FROM otps WHERE otp = ?").get(normalizeOtp(otp)) as
    | { terminal_id: string }
    | undefined;
  return row?.terminal_id ?? null;
}

/**
 * Unpairing on the terminal itself (its settings menu on a real device): every active pairing of
 * the terminal ends and its tokens stop working, as after Pay-Connect's unpair call. This is what
 * the "outcome unknown" advice asks a person to do when the terminal shows a pairing whose
 * credentials never reached Pairdesk. Returns how many pairings ended.
 */
export function unpairOnTerminal(ctx: SimulatorContext, terminalId: string): number {
  const { db } = ctx;
  return db.transaction((): number => {
    const ended = db
      .prepare("UPDATE pairings SET status = 'unpaired', unpaired_at = ? WHERE terminal_id = ? AND status = 'active' RETURNING pay_connect_id")
      .all(ctx.now(), terminalId) as { pay_connect_id: string }[];
    for (const { pay_connect_id } of ended) db.prepare("DELETE FROM tokens WHERE pay_connect_id = ?").run(pay_connect_id);
    return ended.length;
  }).immediate();
}
