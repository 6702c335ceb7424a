import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

/** Liveness for operators and the test runner: answers 200 once the database is open. */
export function GET() {
  getDb().get(sql`select 1`);
  return Response.json({ ok: true });
}
