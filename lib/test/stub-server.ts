import http from "node:http";
import type { AddressInfo } from "node:net";

export type StubRequest = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
export type StubReply = { status: number; body?: unknown; raw?: string; delayMs?: number };

/** A real HTTP server on 127.0.0.1 that answers with whatever the test queues. */
export async function startStub(handler: (req: StubRequest) => StubReply | Promise<StubReply>) {
  const requests: StubRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const r: StubRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(r);
      void Promise.resolve(handler(r)).then((reply) => {
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(reply.status, { "content-type": "application/json" });
          res.end(reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body)));
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
