/**
 * Gzip for a streamed download that flushes after every chunk (Z_SYNC_FLUSH), so each batch the
 * server produces reaches the client at once, compressed. Next's own compression (for `next
 * start`) buffers a small write until it has a block's worth of output: the first byte of a CSV
 * export of a million rows waited for the first several batches. A response that sets
 * Content-Encoding itself is left alone by it. One flush per batch of hundreds of rows costs
 * little ratio. No `server-only`: tests import it.
 */
import zlib from "node:zlib";

export function acceptsGzip(acceptEncoding: string | null | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return !q || Number(q.slice(2)) > 0;
  });
}

export function gzipFlushingEachChunk(): TransformStream<Uint8Array, Uint8Array> {
  const gzip = zlib.createGzip();
  // What zlib produced for the chunk in hand, sent as one piece once it is flushed.
  let pending: Buffer[] = [];
  let failed: Error | null = null;
  gzip.on("data", (data: Buffer) => pending.push(data));
  gzip.on("error", (err) => {
    failed = err;
  });
  const send = (controller: TransformStreamDefaultController<Uint8Array>) => {
    if (pending.length === 0) return;
    const data = Buffer.concat(pending);
    pending = [];
    controller.enqueue(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      return new Promise<void>((resolve, reject) => {
        gzip.write(chunk);
        gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          if (failed) return reject(failed);
          send(controller);
          resolve();
        });
      });
    },
    flush(controller) {
      return new Promise<void>((resolve, reject) => {
        gzip.once("end", () => {
          if (failed) return reject(failed);
          send(controller);
          resolve();
        });
        gzip.end();
        gzip.resume();
      });
    },
  });
}
