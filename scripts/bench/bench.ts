/**
 * Times the terminal list's SQL on a temporary database seeded with 10,000 terminals, then the
 * Registers page's (and the register, location and route-picker queries) on a new database
 * seeded with 10,000 registers.
 *
 *   npx tsx --conditions=react-server scripts/bench/bench.ts [--count 10000] [--runs 50] [--explain]
 *
 * Each case runs `queryTerminals` (the count and the page of rows, as the page does) `--runs`
 * times after a warm-up, and prints the median and p95 in milliseconds; the sorts included. Then
 * it times a whole CSV export of the list, batch by batch, and a backup (`npm run backup`'s code)
 * once every active pairing has its sealed secrets. `--explain` also prints
 * SQLite's EXPLAIN QUERY PLAN of both statements of each case.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

// the queries import `server-only`: stubbed for this process (see the file).
import "../server-only-stub";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

async function main() {
  const { openDatabase } = await import("../../lib/db/open");
  const { seedTerminals } = await import("../demo/seed-terminals");
  const { explainTerminalList, queryTerminals, terminalRows } = await import("../../lib/pairing/terminal-queries");
  const { EVERY_MERCHANT, merchantScope, queryContext } = await import("../../lib/auth/scope");
  const { terminalList } = await import("../../lib/lists/lists");
  type Input = NonNullable<Parameters<typeof queryTerminals>[1]>;

  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "10000" },
      runs: { type: "string", default: "50" },
      explain: { type: "boolean", default: false },
    },
  });
  const count = Number(values.count);
  const runs = Number(values.runs);
  const explain = values.explain;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-bench-"));
  try {
    const db = openDatabase(path.join(dir, "bench.db"));
    const seeded = await seedTerminals(db, { count, seed: 42 });
    console.log(
      `Seeded ${seeded.terminals.toLocaleString("en-US")} terminals and ${seeded.pairings.toLocaleString("en-US")} pairings across ${seeded.merchantIds.length} merchants in ${Math.round(seeded.ms)} ms. ${runs} runs per case (staff, every merchant, unless the case says "one merchant").\n`,
    );
    const staff = queryContext(db, EVERY_MERCHANT);
    const oneMerchant = queryContext(db, merchantScope(seeded.merchantIds[0]!));
    const lastPage = Math.ceil(count / 50);
    const cases: [string, Input, typeof staff?][] = [
      ["first page", {}],
      ["page 2", { page: 2 }],
      ["last page", { page: lastPage }],
      ["search terminal id (T000012)", { q: "T000012" }],
      ["search pairing name (kiosk)", { q: "kiosk" }],
      ["search, no match", { q: "no-such-terminal" }],
      ["environment=production", { environment: "production" }],
      ["environment=sandbox", { environment: "sandbox" }],
      ["status=paired", { status: "paired" }],
      ["status=unpaired", { status: "unpaired" }],
      ["status=paired, last page", { status: "paired", page: 1_000_000 }],
      ["sandbox + unpaired + search", { environment: "sandbox", status: "unpaired", q: "till" }],
      ["sort terminal id, descending", { sort: "-terminal_id" }],
      ["sort environment", { sort: "environment" }],
      ["sort environment, last page", { sort: "-environment", page: lastPage }],
      ["sort paired at, newest first", { sort: "-paired_at" }],
      ["sort paired at, oldest first, page 2", { sort: "paired_at", page: 2 }],
      ["sort paired at, sandbox + paired", { sort: "-paired_at", environment: "sandbox", status: "paired" }],
      ["one merchant: first page", {}, oneMerchant],
      ["one merchant: search pairing name (kiosk)", { q: "kiosk" }, oneMerchant],
      ["one merchant: status=unpaired", { status: "unpaired" }, oneMerchant],
      ["one merchant: sort paired at", { sort: "-paired_at" }, oneMerchant],
    ];

    const table: Record<string, string | number>[] = [];
    for (const [name, input, ctx = staff] of cases) {
      for (let i = 0; i < 3; i++) await queryTerminals(ctx, input);
      const times: number[] = [];
      let result = await queryTerminals(ctx, input);
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        result = await queryTerminals(ctx, input);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      table.push({
        case: name,
        total: result.total,
        page: result.page,
        rows: result.rows.length,
        "median ms": Number(percentile(times, 0.5).toFixed(2)),
        "p95 ms": Number(percentile(times, 0.95).toFixed(2)),
      });
      if (explain) {
        const plans = await explainTerminalList(ctx, input, {
          limit: result.pageSize,
          offset: (result.page - 1) * result.pageSize,
        });
        console.log(`── ${name}`);
        for (const [label, steps] of Object.entries(plans)) {
          console.log(`   ${label}:`);
          for (const step of steps) console.log(`   ${step}`);
        }
      }
    }
    console.table(table);

    // The CSV export walks the whole list in batches, as its route handler does.
    for (const sort of ["terminal_id", "-paired_at"] as const) {
      const params = terminalList.values({ sort });
      await timeCsvExport(`CSV export, sort=${sort}`, (offset, limit) => terminalRows(staff, params, { offset, limit }));
    }

    // Backup (npm run backup's code): first every active pairing gets its sealed secrets, as real
    // pairings have (seeded ones have none), so the size is a real one.
    const { seal, secretContext } = await import("../../lib/pairing/vault");
    const { backupDatabase } = await import("../../lib/ops/backup");
    const { formatBytes } = await import("../../lib/ops/database");
    const benchKeys = [{ id: "bench", key: randomBytes(32) }];
    const active = db.$client.prepare("select id from pairings where status = 'active'").all() as { id: number }[];
    const insertSecret = db.$client.prepare("insert into pairing_secrets (pairing_id, field, key_id, nonce, ciphertext) values (?, ?, ?, ?, ?)");
    db.$client.transaction(() => {
      active.forEach(({ id }, i) => {
        const fields = i % 10 < 7 ? (["client_secret", "webhook_secret_key"] as const) : (["client_secret"] as const);
        for (const field of fields) {
          const sealed = seal(randomBytes(24).toString("base64url"), secretContext("pairings", id, field), benchKeys);
          insertSecret.run(id, field, sealed.keyId, sealed.nonce, sealed.ciphertext);
        }
      });
    })();
    const backupOut = path.join(dir, "backup.db");
    const backup = await backupDatabase({ databasePath: path.join(dir, "bench.db"), recoveryDir: path.join(dir, "recovery"), out: backupOut });
    const secretCount = backup.tables.find((t) => t.table === "pairing_secrets")?.rows ?? 0;
    console.log(
      `Backup (npm run backup: SQLite online backup, checked, fsynced, renamed) of ${count.toLocaleString("en-US")} terminals, ${seeded.pairings.toLocaleString("en-US")} pairings and ${secretCount.toLocaleString("en-US")} sealed secrets: ${formatBytes(backup.bytes)} (${backup.bytes.toLocaleString("en-US")} bytes) in ${Math.round(backup.ms)} ms`,
    );
    db.close();

    await benchRegisters(dir, runs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Walks a whole CSV export in batches, as its route handler does, and prints rows, bytes and time. */
async function timeCsvExport(label: string, fetchBatch: (offset: number, limit: number) => Promise<unknown[]>) {
  const { CSV_BATCH_SIZE, csvStream } = await import("../../lib/lists/csv");
  const t0 = performance.now();
  let rows = 0;
  const stream = csvStream([{ header: "row", value: () => "x" }], async (offset, limit) => {
    const batch = await fetchBatch(offset, limit);
    rows += batch.length;
    return batch;
  });
  let bytes = 0;
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
  console.log(
    `${label}: ${rows.toLocaleString("en-US")} rows (${bytes.toLocaleString("en-US")} bytes of one-column CSV), in batches of ${CSV_BATCH_SIZE}: ${Math.round(performance.now() - t0)} ms`,
  );
}

/** Times a list case: warm-up, then `runs` runs; median and p95 in ms. */
async function timed<T>(runs: number, run: () => Promise<T>): Promise<{ result: T; median: number; p95: number }> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  let result = await run();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { result, median: Number(percentile(times, 0.5).toFixed(2)), p95: Number(percentile(times, 0.95).toFixed(2)) };
}

/**
 * The Registers page's server work (its count, its page of the tree, the location filter's
 * options), a register's page, a location's page and the route picker, on a new database holding
 * 10,000 registers and nothing else but their merchants, locations and paired terminals.
 */
async function benchRegisters(dir: string, runs: number) {
  const { openDatabase } = await import("../../lib/db/open");
  const { seedRegisters } = await import("../demo/seed-registers");
  const { queryRegisters, queryRegister, queryRoutableTerminals, registerRows } = await import("../../lib/registers/queries");
  const { queryLocation, queryLocations } = await import("../../lib/registers/location-queries");
  const { EVERY_MERCHANT, merchantScope, queryContext } = await import("../../lib/auth/scope");
  const { registerList } = await import("../../lib/lists/lists");

  const db = openDatabase(path.join(dir, "registers.db"));
  const seeded = await seedRegisters(db, { count: 10_000 });
  console.log(
    `\nRegisters: a new database seeded with ${seeded.registers.toLocaleString("en-US")} registers in ${seeded.locations} locations, ${seeded.terminals.toLocaleString("en-US")} paired terminals, ${seeded.routed.toLocaleString("en-US")} routes, ${seeded.merchantIds.length} merchants, in ${Math.round(seeded.ms)} ms (every row checked by the routing triggers).`,
  );
  const staff = queryContext(db, EVERY_MERCHANT);
  const one = queryContext(db, merchantScope(seeded.merchantIds[0]!));
  const someLocation = (db.$client.prepare("select id from locations order by id limit 1 offset 7").get() as { id: number }).id;
  const someRegister = (db.$client.prepare("select id from registers where kind = 'physical' order by id limit 1 offset 500").get() as { id: number }).id;
  type Input = NonNullable<Parameters<typeof queryRegisters>[1]>;
  const cases: [string, Input, typeof staff?][] = [
    ["first page", {}],
    ["page 50", { page: 50 }],
    ["last page", { page: 1_000_000 }],
    ["search name (kiosk)", { q: "kiosk" }],
    ["search terminal id (R01-0001)", { q: "R01-0001" }],
    ["search, no match", { q: "no-such-register" }],
    ["one location", { location: someLocation }],
    ["route=unrouted", { route: "unrouted" }],
    ["environment=sandbox", { environment: "sandbox" }],
    ["one merchant: first page", {}, one],
    ["one merchant: unrouted, last page", { route: "unrouted", page: 1_000_000 }, one],
  ];
  const table: Record<string, string | number>[] = [];
  for (const [name, input, ctx = staff] of cases) {
    const t = await timed(runs, () => queryRegisters(ctx, input));
    table.push({ case: `registers: ${name}`, total: t.result.total, page: t.result.page, rows: t.result.rows.length, "median ms": t.median, "p95 ms": t.p95 });
  }
  const reg = await timed(runs, () => queryRegister(staff, someRegister));
  table.push({ case: "register page", total: 1, page: 1, rows: 1 + (reg.result?.children.length ?? 0), "median ms": reg.median, "p95 ms": reg.p95 });
  const loc = await timed(runs, () => queryLocation(staff, someLocation));
  table.push({ case: "location page (50 registers)", total: 1, page: 1, rows: loc.result?.registers.length ?? 0, "median ms": loc.median, "p95 ms": loc.p95 });
  const locs = await timed(runs, () => queryLocations(staff, {}));
  table.push({ case: "locations list", total: locs.result.total, page: locs.result.page, rows: locs.result.rows.length, "median ms": locs.median, "p95 ms": locs.p95 });
  const pick = await timed(runs, () => queryRoutableTerminals(staff, { merchantId: seeded.merchantIds[0]!, environment: "production", q: "terminal 1" }));
  table.push({ case: "route picker (search)", total: pick.result.length, page: 1, rows: pick.result.length, "median ms": pick.median, "p95 ms": pick.p95 });
  console.table(table);

  const params = registerList.values({});
  await timeCsvExport("Registers CSV export", (offset, limit) => registerRows(staff, params, { offset, limit }));
  db.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
