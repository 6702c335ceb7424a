/**
 * Fills a SQLite file with every kind of row Pairdesk writes (two merchants' users, pairings
 * active and replaced, sealed secrets, locations and registers routed, virtual and archived,
 * transactions with a refund, events, operations, webhook deliveries accepted and refused, audit
 * entries, a session, a failed sign-in, the poller's lease), in a process of its own on the
 * SQLite engine, for tests that run on Postgres (the copy to Postgres):
 *
 *   tsx --conditions=react-server lib/test/seed-sqlite-child.ts <file>
 */
import "./setup-env";
delete process.env.DATABASE_URL; // this process writes SQLite, whatever the run's engine

const file = process.argv[2];
if (!file) throw new Error("usage: seed-sqlite-child.ts <file>");
const { openDatabase, rawQuery } = await import("../db/open");
const { seedTwoMerchants } = await import("./two-merchants");
const { takeLease } = await import("../poller/lease");
const { createLocation, archiveLocation } = await import("../registers/locations");
const { createRegister, archiveRegister } = await import("../registers/registers");
const { staff } = await import("./merchants");

const db = openDatabase(file);
const seeded = await seedTwoMerchants(db);
const actor = { id: seeded.users.staffAdmin.id, email: seeded.users.staffAdmin.email };
// A register and its location, both archived: history that a new row could not be.
const closed = await createLocation(staff(db), seeded.alpha, { name: "Closed shop", address: "", timeZone: "Europe/Lisbon" }, actor);
const gone = await createRegister(staff(db), { locationId: closed.id, kind: "physical", parentId: null, name: "Old till", externalRef: null }, actor);
await archiveRegister(staff(db), gone.id, actor);
await archiveLocation(staff(db), closed.id, actor);
await rawQuery(db, "insert into sessions (id, user_id) values (?, ?)", ["session-copy-test", seeded.users.staffAdmin.id]);
await rawQuery(db, "insert into sign_in_failures (key, at) values (?, ?)", ["email:nobody@example.test", Date.now()]);
await takeLease(db, "poller", "copy-test", Date.now(), 15_000);
// A refund of a charge: a reference to an earlier row of the same table.
const [charge] = await rawQuery<{ id: number; merchant_id: number; terminal_ref: number; pairing_id: number }>(
  db,
  "select id, merchant_id, terminal_ref, pairing_id from transactions order by id limit 1",
);
await rawQuery(
  db,
  "insert into transactions (merchant_id, environment, terminal_ref, pairing_id, provider_transaction_id, kind, linked_transaction_ref, amount, status, status_source, status_changed_at, last_seen_at) values (?, 'sandbox', ?, ?, 'ptx-refund-copy', 'refund', ?, 50, 'SUCCESS', 'poll', ?, ?)",
  [charge!.merchant_id, charge!.terminal_ref, charge!.pairing_id, charge!.id, Date.now(), Date.now()],
);
db.close();
console.log(JSON.stringify({ ok: true }));
