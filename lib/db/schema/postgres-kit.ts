/**
 * Postgres's builders for the kit (./kit.ts has the table of what each call becomes). Typed as
 * SQLite's kit: the calls are the same, and the columns they build are read and written through
 * the same drizzle query builders.
 */
import { sql, type SQLWrapper } from "drizzle-orm";
import { bigint, boolean, check, customType, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { Kit } from "./kit";

/** Epoch milliseconds in a bigint, a Date in JS (SQLite's integer timestamp_ms). */
const epochMs = customType<{ data: Date; driverData: number | string }>({
  dataType: () => "bigint",
  toDriver: (value) => value.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const postgresKit = {
  dialect: "postgres",
  table: pgTable,
  id: () => bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  int: (name: string) => bigint(name, { mode: "number" }),
  text,
  time: (name: string) => epochMs(name),
  flag: (name: string) => boolean(name),
  bytes: (name: string) => bytea(name),
  index,
  uniqueIndex,
  check,
  now: sql`((extract(epoch from clock_timestamp()) * 1000)::bigint)`,
  caseless: (value: SQLWrapper) => sql`lower(${value})`,
  like: sql.raw("ilike"),
  integerOf: (value: SQLWrapper) => sql`(case when ${value} ~ '^[0-9]{1,18}$' then cast(${value} as bigint) end)`,
} as unknown as Kit;
