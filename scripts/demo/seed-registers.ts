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
  const sql = db.$client;
  const insertLocation = sql.prepare("insert into locations (merchant_id, name, address, time_zone) values (?, ?, ?, 'Europe/Ljubljana')");
  const insertTerminal = sql.prepare("insert into terminals (merchant_id, environment, terminal_id) values (?, ?, ?)");
  const insertPairing = sql.prepare(
    "insert into pairings (terminal_ref, merchant_id, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id) values (?, ?, ?, ?, ?, 1, 'active', ?)",
  );
  const insertRegister = sql.prepare(
    "insert into registers (register_id, merchant_id, location_id, kind, parent_id, name, external_ref, terminal_ref, routed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  let registers = 0;
  let locations = 0;
  let terminals = 0;
  let routed = 0;
  sql.transaction(() => {
    const terminalsOf = new Map<number, number[]>();
    for (const m of merchantIds) {
      const refs: number[] = [];
      const n = Math.ceil(options.count / merchantIds.length / 5);
      for (let i = 0; i < n; i++) {
        const environment = rnd() < 0.8 ? "production" : "sandbox";
        const ref = Number(insertTerminal.run(m, environment, `R${String(m).padStart(2, "0")}-${String(i).padStart(5, "0")}`).lastInsertRowid);
        insertPairing.run(ref, m, `pc_${randomUUID()}`, `${PLACES[i % PLACES.length]} – terminal ${i}`, `cl_${randomUUID()}`, creatorId);
        refs.push(ref);
        terminals++;
      }
      terminalsOf.set(m, refs);
    }
    let k = 0;
    while (registers < options.count) {
      const m = merchantIds[k++ % merchantIds.length]!;
      const refs = terminalsOf.get(m)!;
      const location = Number(
        insertLocation.run(m, `${PLACES[locations % PLACES.length]} ${locations}`, `${locations} Main Street`).lastInsertRowid,
      );
      locations++;
      let parent: number | null = null;
      for (let i = 0; i < 50 && registers < options.count; i++) {
        const virtual: boolean = parent !== null && rnd() < 0.33;
        const route = rnd() < 0.6 ? refs[Math.floor(rnd() * refs.length)]! : null;
        const id: number = Number(
          insertRegister.run(
            randomUUID(),
            m,
            location,
            virtual ? "virtual" : "physical",
            virtual ? parent : null,
            `${NAMES[i % NAMES.length]} ${i}`,
            rnd() < 0.3 ? `POS-${registers}` : null,
            route,
            route === null ? null : Date.now(),
          ).lastInsertRowid,
        );
        if (!virtual) parent = id;
        if (route !== null) routed++;
        registers++;
      }
    }
  })();
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
