import { describe, expect, it } from "vitest";
import { csvField, csvFilename, csvLine, csvStream } from "./csv";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("csvField", () => {
  it("quotes a comma, a quote or a line break (RFC 4180), and nothing else", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(42)).toBe("42");
    expect(csvField(new Date(Date.UTC(2026, 10, 22, 3, 4, 5)))).toBe("2026-11-22T03:04:05.000Z");
  });

  it("puts an apostrophe before a text cell a spreadsheet would read as a formula", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tcmd")).toBe("'\tcmd");
    expect(csvField("a=b")).toBe("a=b");
    // Numbers are numbers, not text: -1 stays -1.
    expect(csvField(-1)).toBe("-1");
    // A plain negative decimal (a refund's amount) is a number too; anything more is guarded.
    expect(csvField("-1.50")).toBe("-1.50");
    expect(csvField("-1.50+A1")).toBe("'-1.50+A1");
    expect(csvField("-1e5")).toBe("'-1e5");
    expect(csvField("-")).toBe("'-");
  });
});

describe("csvStream", () => {
  it("sends the header, then every row in batches until a short batch, with CRLF line ends", async () => {
    const data = Array.from({ length: 7 }, (_, i) => ({ n: i, name: i === 3 ? "=evil, \"quoted\"" : `row ${i}` }));
    const calls: [number, number][] = [];
    const text = await readAll(
      csvStream(
        [
          { header: "n", value: (r: (typeof data)[number]) => r.n },
          { header: "name", value: (r: (typeof data)[number]) => r.name },
        ],
        async (offset, limit) => {
          calls.push([offset, limit]);
          return data.slice(offset, offset + limit);
        },
        3,
      ),
    );
    expect(calls).toEqual([
      [0, 3],
      [3, 3],
      [6, 3],
    ]);
    expect(text.split("\r\n")).toEqual([
      "n,name",
      "0,row 0",
      "1,row 1",
      "2,row 2",
      "3,\"'=evil, \"\"quoted\"\"\"",
      "4,row 4",
      "5,row 5",
      "6,row 6",
      "",
    ]);
  });

  it("fetches only as the reader pulls: a reader that stops early stops the queries", async () => {
    let fetched = 0;
    const stream = csvStream(
      [{ header: "n", value: (r: number) => r }],
      async (offset, limit) => {
        fetched += limit;
        return Array.from({ length: limit }, (_, i) => offset + i);
      },
      100,
    );
    const reader = stream.getReader();
    await reader.read(); // header
    await reader.read(); // first batch
    await reader.cancel();
    expect(fetched).toBeLessThanOrEqual(200);
  });

  it("starts with a small batch, then doubles it up to the batch size", async () => {
    const limits: number[] = [];
    const stream = csvStream(
      [{ header: "n", value: (r: number) => r }],
      async (offset, limit) => {
        limits.push(limit);
        return Array.from({ length: Math.max(0, Math.min(limit, 1000 - offset)) }, (_, i) => offset + i);
      },
      300,
    );
    const text = await readAll(stream);
    // 50 + 100 + 200 + 300 + 300 = 950 rows, then a batch of 300 that finds the last 50.
    expect(limits).toEqual([50, 100, 200, 300, 300, 300]);
    expect(text.split("\r\n").length).toBe(1 + 1000 + 1);
  });

  it("an empty list is the header alone", async () => {
    expect(await readAll(csvStream([{ header: "a", value: () => 1 }], async () => [], 10))).toBe("a\r\n");
  });
});

it("csvLine and csvFilename", () => {
  expect(csvLine(["a", null, 3])).toBe("a,,3\r\n");
  expect(csvFilename("terminals", new Date(Date.UTC(2026, 10, 22, 3, 4)))).toBe("terminals-20261122-0304.csv");
});
