/**
 * A demo login: the user made, or given a fresh password (the old one was only ever printed),
 * enabled and set to the demo's role and merchant. Used for the staff admin and the merchant
 * admin the demo prints.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { DB } from "../../lib/db/open";
import { users } from "../../lib/db/schema";
import type { Role } from "../../lib/domain";
import { createUser, setUserPassword } from "../../lib/users/users";
import { firstRow } from "../../lib/db/query";

export type DemoLogin = { id: number; email: string; password: string; created: boolean };

export async function demoLogin(
  db: DB,
  who: { email: string; name: string; role: Role; merchantId?: number },
): Promise<DemoLogin> {
  const password = `demo-${randomBytes(12).toString("base64url")}`;
  const existing = await firstRow(db.select({ id: users.id }).from(users).where(eq(users.email, who.email)).limit(1));
  if (existing) {
    await db.transaction((tx) => tx.update(users)
      .set({ disabledAt: null, role: who.role, merchantId: who.merchantId ?? null, updatedAt: new Date() })
      .where(eq(users.id, existing.id)));
    // The old password was printed at an earlier start: whoever signed in with it is signed out.
    await setUserPassword(db, existing.id, password);
    return { id: existing.id, email: who.email, password, created: false };
  }
  const created = await createUser(db, { ...who, password });
  return { id: created.id, email: who.email, password, created: true };
}
