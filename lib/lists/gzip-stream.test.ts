import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { acceptsGzip, gzipFlushingEachChunk } from "./gzip-stream";

const enc = new TextEncoder();

describe("gzipFlushingEachChunk", () => {
  it("sends each chunk at once, compressed: what came out so far inflates to what went in", async () => {
    const { readable, writable } = gzipFlushingEachChunk();
    const writer = writable.getWriter();
    const reader = readable.getReader();
    const received: Uint8Array[] = [];
    const inflateSoFar = () => zlib.gunzipSync(Buffer.concat(received), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString();

    void writer.write(enc.encode("header\r\n"));
    received.push((await reader.read()).value!);
    expect(inflateSoFar()).toBe("header\r\n");

    const batch = "row,1\r\n".repeat(500);
    void writer.write(enc.encode(batch));
    received.push((await reader.read()).value!);
    expect(inflateSoFar()).toBe(`header\r\n${batch}`);

    const closed = writer.close();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received.push(value);
    }
    await closed;
    // A complete gzip member, smaller than its text.
    const all = Buffer.concat(received);
    expect(zlib.gunzipSync(all).toString()).toBe(`header\r\n${batch}`);
    expect(all.length).toBeLessThan(batch.length / 10);
  });
});

it("acceptsGzip reads Accept-Encoding, q=0 included", () => {
  expect(acceptsGzip("gzip, deflate, br")).toBe(true);
  expect(acceptsGzip("br;q=1.0, gzip;q=0.8")).toBe(true);
  expect(acceptsGzip("*")).toBe(true);
  expect(acceptsGzip("gzip;q=0")).toBe(false);
  expect(acceptsGzip("identity")).toBe(false);
  expect(acceptsGzip(null)).toBe(false);
});
