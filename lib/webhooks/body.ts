/** Reading a request body up to a limit, without holding more than the limit in memory. */

export type LimitedBody = { ok: true; body: Buffer } | { ok: false; tooLarge: true; declared: number };

/**
 * The body as bytes, read chunk by chunk; a Content-Length over `limit` is refused before
 * anything is read, and a stream that passes it is cancelled at once (the rest is never read).
 */
export async function readLimitedBody(request: Request, limit: number): Promise<LimitedBody> {
  const declaredText = request.headers.get("content-length");
  const declared = declaredText !== null && /^\d{1,15}$/.test(declaredText) ? Number(declaredText) : null;
  if (declared !== null && declared > limit) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, tooLarge: true, declared };
  }
  if (!request.body) return { ok: true, body: Buffer.alloc(0) };
  // A declared length within the limit: read at once (the runtime holds the body to that length).
  if (declared !== null) {
    const body = Buffer.from(await request.arrayBuffer());
    return body.length > limit ? { ok: false, tooLarge: true, declared: body.length } : { ok: true, body };
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, tooLarge: true, declared: declared ?? size };
    }
    chunks.push(value);
  }
  return { ok: true, body: Buffer.concat(chunks) };
}
