/**
 * Seeds many terminals with realistic pairings, for the bench and for trying the lists at scale.
 *
 *   npx tsx --conditions=react-server scripts/demo/seed-terminals.ts --count 10000 --db data/pairdesk.db
 *
 * Options: --count N (default 10000), --db PATH (default $DATABASE_PATH or data/pairdesk.db),
 * --prefix P (terminal ids start with it, default "T"), --seed N (the random sequence).
 * Mix per terminal: ~92% one active pairing (Pay-Connect keeps one per terminal), of which ~14%
 * were paired again before (one or two replaced pairings first), ~3% an ended pairing only, ~5%
 * never paired. 80% production, 20% sandbox. One user ("seed-creator@pairdesk.local", an
 * unusable random password) is the creator of every pairing. No credentials are stored: the
 * vault stays empty for seeded pairings.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { databasePathFrom } from "../../lib/db/default-path";
import { openDatabase, type DB } from "../../lib/db/open";
import { merchants, pairings, terminals, users, type Environment, type PairingStatus } from "../../lib/db/schema";
import { hashPassword } from "../../lib/auth/password";
import { firstRow, returnedRow } from "../../lib/db/query";

export const SEED_CREATOR_EMAIL = "seed-creator@pairdesk.local";

const LOCATIONS = [
  "Ljubljana Center", "Maribor Europark", "Koper Port", "Celje Mall", "Kranj Old Town",
  "Bled Lakeside", "Piran Marina", "Novo Mesto", "Ptuj Castle Shop", "Nova Gorica",
  "Zagreb Ilica", "Vienna Naschmarkt", "Graz Hauptplatz", "Trieste Molo", "Web Shop",
];
const REGISTERS = ["Till", "Front desk", "Bar", "Terrace", "Kiosk", "Drive-through", "Virtual register"];

/** A small seeded PRNG (mulberry32): the same seed gives the same data. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type SeedOptions = {
  count: number;
  prefix?: string;
  seed?: number;
  creatorId?: number;
  /** How many merchants share the terminals ("Seed merchant 01"…, found or created); default 20. */
  merchants?: number;
};
export type SeedResult = { terminals: number; pairings: number; creatorId: number; merchantIds: number[]; ms: number };

/** The seed merchants, found or created. */
export async function ensureSeedMerchants(db: DB, n: number): Promise<number[]> {
  return db.transaction(async (tx) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const name = `Seed merchant ${String(i + 1).padStart(2, "0")}`;
      const existing = await firstRow(tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.name, name)).limit(1));
      ids.push(existing?.id ?? (await returnedRow(tx.insert(merchants).values({ name }).returning({ id: merchants.id }))).id);
    }
    return ids;
  });
}

/** The creator of seeded pairings: found or created (with a random, never shown password). */
export async function ensureSeedCreator(db: DB): Promise<number> {
  const existing = await firstRow(db.select({ id: users.id }).from(users).where(eq(users.email, SEED_CREATOR_EMAIL)).limit(1));
  if (existing) return existing.id;
  const passwordHash = await hashPassword(randomBytes(24).toString("base64url"));
  return (await returnedRow(db.transaction((tx) => tx
    .insert(users)
    .values({ email: SEED_CREATOR_EMAIL, name: "Seed data", passwordHash, role: "support" })
    .returning({ id: users.id })))).id;
}

export async function seedTerminals(db: DB, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const { count, prefix = "T", seed = 42 } = options;
  const creatorId = options.creatorId ?? (await ensureSeedCreator(db));
  const merchantIds = await ensureSeedMerchants(db, Math.max(1, options.merchants ?? 20));
  const rnd = random(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join("");
  const now = Date.now();
  const twoYears = 2 * 365 * 24 * 60 * 60 * 1000;
  const width = Math.max(8, String(count).length);
  let pairingCount = 0;

  await db.transaction(async (tx) => {
    const CHUNK = 500;
    for (let start = 0; start < count; start += CHUNK) {
      const batch = Array.from({ length: Math.min(CHUNK, count - start) }, (_, k) => {
        const createdAt = new Date(now - Math.floor(rnd() * twoYears));
        return {
          merchantId: pick(merchantIds),
          environment: (rnd() < 0.8 ? "production" : "sandbox") as Environment,
          terminalId: `${prefix}${String(start + k + 1).padStart(width, "0")}`,
          createdAt,
          updatedAt: createdAt,
        };
      });
      const ids = await tx.insert(terminals).values(batch).returning({ id: terminals.id });

      const rows: (typeof pairings.$inferInsert)[] = [];
      ids.forEach(({ id }, k) => {
        const terminalCreated = batch[k]!.createdAt.getTime();
        const at = () => new Date(terminalCreated + Math.floor(rnd() * (now - terminalCreated)));
        const add = (status: PairingStatus) => {
          const createdAt = at();
          rows.push({
            terminalRef: id,
            merchantId: batch[k]!.merchantId,
            payConnectId: `pc_${hex(24)}`,
            name: `${pick(LOCATIONS)} – ${pick(REGISTERS)} ${1 + Math.floor(rnd() * 6)}`,
            clientId: `cl_${hex(20)}`,
            webhookUrl: rnd() < 0.7 ? `https://pairdesk.example.com/api/webhooks/pay-connect/${hex(16)}` : null,
            hasWebhookSecret: rnd() < 0.7,
            status,
            createdById: creatorId,
            createdAt,
            endedAt: status === "active" ? null : new Date(createdAt.getTime() + Math.floor(rnd() * (now - createdAt.getTime()))),
            endedById: status === "active" ? null : creatorId,
          });
        };
        const r = rnd();
        if (r < 0.05) return; // never paired
        if (r < 0.08) return add("unpaired");
        const replaced = r < 0.84 ? 0 : r < 0.98 ? 1 : 2;
        for (let n = 0; n < replaced; n++) add("replaced");
        add("active");
      });
      for (let i = 0; i < rows.length; i += CHUNK) await tx.insert(pairings).values(rows.slice(i, i + CHUNK));
      pairingCount += rows.length;
    }
  });

  return { terminals: count, pairings: pairingCount, creatorId, merchantIds, ms: performance.now() - started };
}

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "10000" },
      db: { type: "string" },
      prefix: { type: "string", default: "T" },
      seed: { type: "string", default: "42" },
    },
  });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error("--count must be a positive integer");
  const file = path.resolve(values.db ?? databasePathFrom());
  const db = openDatabase(file);
  const result = await seedTerminals(db, {
    count,
    prefix: values.prefix,
    seed: Number(values.seed),
  });
  db.close();
  console.log(
    `Seeded ${result.terminals} terminals and ${result.pairings} pairings into ${file} in ${Math.round(result.ms)} ms.`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
