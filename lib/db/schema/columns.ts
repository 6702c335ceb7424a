// What every table file shares. The column builders are SQLite's: the Postgres port puts its own beside them.
import { sql } from "drizzle-orm";

export const now = sql`(unixepoch('subsec') * 1000)`;

/** `'a', 'b'`: constants in a CHECK (unqualified column names keep a table rebuild's rename safe). */
export const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");
