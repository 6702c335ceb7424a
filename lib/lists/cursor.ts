/** Keyset pagination: a cursor names the last row seen by its sort value and id (`1732270000000.42`). */

/** A keyset position: the sort value (ms) and the id of a row. */
export type Cursor = { at: number; id: number };

export function parseCursor(value: string | null | undefined): Cursor | null {
  const m = /^(\d{1,15})\.(\d{1,12})$/.exec(value ?? "");
  return m ? { at: Number(m[1]), id: Number(m[2]) } : null;
}

export function cursorText(c: Cursor): string {
  return `${c.at}.${c.id}`;
}

