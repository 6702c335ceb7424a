/**
 * A write the database refuses, for tests that cut a write off mid-way (a process killed, a full
 * disk): a trigger that raises `message` before every `event` on `table`, on the run's engine.
 * Returns what drops it again.
 */
import { rawQuery, type DB } from "../db/open";

export async function refuseWrites(db: DB, name: string, table: string, message: string, event: "insert" | "update" = "insert"): Promise<() => Promise<void>> {
  if (db.engine === "postgres") {
    await rawQuery(db, `create function "${name}_fn"() returns trigger language plpgsql as $$ begin raise exception '${message}'; end $$`);
    await rawQuery(db, `create trigger "${name}" before ${event} on "${table}" for each row execute function "${name}_fn"()`);
    return async () => {
      await rawQuery(db, `drop trigger "${name}" on "${table}"`);
      await rawQuery(db, `drop function "${name}_fn"()`);
    };
  }
  await rawQuery(db, `create trigger "${name}" before ${event} on "${table}" begin select raise(abort, '${message}'); end`);
  return async () => {
    await rawQuery(db, `drop trigger "${name}"`);
  };
}
