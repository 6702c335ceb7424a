/**
 * This server process's name among the instances on one database: INSTANCE_NAME when set (a
 * stable name an operator recognises: the pod, the host), else host:pid:random. The poller's
 * lease is held under it and /api/health says it, so that behind a load balancer one can tell
 * which instance answered and which one polls. Kept on globalThis: Next bundles route handlers
 * and the instrumentation hook separately, and they must agree.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";

const globalForInstance = globalThis as unknown as { __pairdeskInstance?: string };

export function instanceId(): string {
  return (globalForInstance.__pairdeskInstance ??=
    process.env.INSTANCE_NAME?.trim() || `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`);
}
