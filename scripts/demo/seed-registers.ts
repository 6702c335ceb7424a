/**
 * Seeds registers for the bench: `count` registers (about one in three virtual, under a physical
 * register of the same location) in locations of 50 registers, spread over the seed merchants,
 * each merchant with its own paired terminals (one terminal per ~5 registers); ~60% of the
 * registers route to one of their merchant's terminals. Written through SQL in one transaction,
 * so the database's routing triggers check every row as it goes in.
 *
 *   npx tsx --conditions=react-server scripts/demo/seed-registers.ts --count 10000 [--merchants 5] [--seed 7] [--db data/pairdesk.db]
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { databasePathFrom } from "../../lib/db/default-path";
import { openDatabase, type DB } from "../../lib/db/open";
import { locations as locationsTable, pairings, registers as registersTable, terminals as terminalsTable } from "../../lib/db/schema";
import { ensureSeedCreator, ensureSeedMerchants } from "./seed-terminals";

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

const NAMES = ["Till", "Front desk", "Bar", "Terrace", "Kiosk", "Drive-through", "Counter", "Self-checkout"];
const PLACES = ["Ljubljana Center", "Maribor Europark", "Koper Port", "Celje Mall", "Kranj Old Town", "Bled Lakeside", "Piran Marina", "Vienna Naschmarkt"];

export type RegisterSeed = { registers: number; locations: number; terminals: number; routed: number; merchantIds: number[]; ms: number };

export async function seedRegisters(db: DB, options: { count: number; merchants?: number; seed?: number }): Promise<RegisterSeed> {
  const started = performance.now();
  const rnd = random(options.seed ?? 7);
  const creatorId = await ensureSeedCreator(db);
  const merchantIds = await ensureSeedMerchants(db, Math.max(1, options.merchants ?? 5));
  let registers = 0;
  let locations = 0;
  let terminals = 0;
  let routed = 0;
  // One transaction, through drizzle: the same rows on either engine (ids from `returning`).
  await db.transaction(async (tx) => {
    const terminalsOf = new Map<number, number[]>();
    for (const m of merchantIds) {
      const refs: number[] = [];
      const n = Math.ceil(options.count / merchantIds.length / 5);
      for (let i = 0; i < n; i++) {
        const environment = rnd() < 0.8 ? "production" : "sandbox";
        const [terminal] = await tx
          .insert(terminalsTable)
          .values({ merchantId: m, environment, terminalId: `R${String(m).padStart(2, "0")}-${String(i).padStart(5, "0")}` })
          .returning({ id: terminalsTable.id });
        const ref = terminal!.id;
        await tx.insert(pairings).values({
          terminalRef: ref,
          merchantId: m,
          payConnectId: `pc_${randomUUID()}`,
          name: `${PLACES[i % PLACES.length]} – terminal ${i}`,
          clientId: `cl_${randomUUID()}`,
          hasWebhookSecret: true,
          status: "active",
          createdById: creatorId,
        });
        refs.push(ref);
        terminals++;
      }
      terminalsOf.set(m, refs);
    }
    let k = 0;
    while (registers < options.count) {
      const m = merchantIds[k++ % merchantIds.length]!;
      const refs = terminalsOf.get(m)!;
      const [place] = await tx
        .insert(locationsTable)
        .values({ merchantId: m, name: `${PLACES[locations % PLACES.length]} ${locations}`, address: `${locations} Main Street`, timeZone: "Europe/Ljubljana" })
        .returning({ id: locationsTable.id });
      const location = place!.id;
      locations++;
      let parent: number | null = null;
      for (let i = 0; i < 50 && registers < options.count; i++) {
        const virtual: boolean = parent !== null && rnd() < 0.33;
        const route = rnd() < 0.6 ? refs[Math.floor(rnd() * refs.length)]! : null;
        const [register]: { id: number }[] = await tx
          .insert(registersTable)
          .values({
            registerId: randomUUID(),
            merchantId: m,
            locationId: location,
            kind: virtual ? "virtual" : "physical",
            parentId: virtual ? parent : null,
            name: `${NAMES[i % NAMES.length]} ${i}`,
            externalRef: rnd() < 0.3 ? `POS-${registers}` : null,
            terminalRef: route,
            routedAt: route === null ? null : new Date(),
          })
          .returning({ id: registersTable.id });
        if (!virtual) parent = register!.id;
        if (route !== null) routed++;
        registers++;
      }
    }
  });
  return { registers, locations, terminals, routed, merchantIds, ms: performance.now() - started };
}

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "10000" },
      merchants: { type: "string", default: "5" },
      seed: { type: "string", default: "7" },
      db: { type: "string" },
    },
  });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error("--count must be a positive integer");
  const file = path.resolve(values.db ?? databasePathFrom());
  const db = openDatabase(file);
  const r = await seedRegisters(db, { count, merchants: Number(values.merchants), seed: Number(values.seed) });
  db.close();
  console.log(`Seeded ${r.registers} registers in ${r.locations} locations, ${r.terminals} paired terminals and ${r.routed} routes into ${file} in ${Math.round(r.ms)} ms.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
