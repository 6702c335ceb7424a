/**
 * CSV export of a list: RFC 4180 (CRLF line ends, fields with a comma, quote or line break
 * quoted, quotes doubled), safe to open in a spreadsheet (a text cell starting with = + - @, a
 * tab or a carriage return gets a leading apostrophe, so it is never read as a formula), and
 * streamed: rows are fetched in batches as the client reads, never all held in memory.
 */

export type CsvColumn<T> = { header: string; value: (row: T) => string | number | boolean | Date | null | undefined };

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-\d+(\.\d+)?$/;

/** One field, guarded and quoted as needed. */
export function csvField(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  // A plain negative number ("-1.50", a refund's amount) is a number to a spreadsheet, not a formula.
  if (typeof value === "string" && FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly (string | number | boolean | Date | null | undefined)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

export const CSV_BATCH_SIZE = 500;
/** The first batch is small, so that the first rows leave soon; the batches then grow to batchSize. */
const CSV_FIRST_BATCH_SIZE = 50;

/**
 * A stream of the header line and then every row, `fetchBatch(offset, limit)` called once per
 * pull until it returns fewer than `limit` rows. Each batch is a fresh, short query, so the
 * database is never held busy while the client is slow. Batches start at CSV_FIRST_BATCH_SIZE and
 * double up to `batchSize`.
 */
export function csvStream<T>(
  columns: readonly CsvColumn<T>[],
  fetchBatch: (offset: number, limit: number) => Promise<T[]>,
  batchSize = CSV_BATCH_SIZE,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let offset = 0;
  let headerSent = false;
  let limit = Math.min(CSV_FIRST_BATCH_SIZE, batchSize);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvLine(columns.map((c) => c.header))));
          return;
        }
        // Let what was enqueued (the response's headers and the header line, then each batch)
        // leave for the socket before the next query holds the event loop: the first byte goes
        // out at once, not after the first batch, and a long export lets other requests in.
        await new Promise((resolve) => setImmediate(resolve));
        const rows = await fetchBatch(offset, limit);
        offset += rows.length;
        if (rows.length > 0) {
          controller.enqueue(encoder.encode(rows.map((r) => csvLine(columns.map((c) => c.value(r)))).join("")));
        }
        if (rows.length < limit) controller.close();
        limit = Math.min(limit * 2, batchSize);
      },
    },
    { highWaterMark: 1 },
  );
}

/** `<list>-20261122-0315.csv`, in UTC. */
export function csvFilename(list: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  return `${list}-${stamp}.csv`;
}

export function csvResponse(filename: string, body: ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
