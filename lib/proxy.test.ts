import "./test/setup-env";
import { NextRequest, type NextFetchEvent } from "next/server";
import type { NextRequestWithAuth } from "next-auth/middleware";
import { afterEach, describe, expect, it } from "vitest";
import proxy from "../proxy";

const HSTS = "max-age=31536000; includeSubDomains";
const event = {} as NextFetchEvent;

/** Runs the proxy on a request as the configured PUBLIC_URL would see it. */
async function run(publicUrl: string, pathname: string): Promise<Response> {
  process.env.PUBLIC_URL = publicUrl;
  delete (globalThis as { __pairdeskEnv?: unknown }).__pairdeskEnv; // reload the configuration
  const res = await proxy(new NextRequest(new URL(pathname, publicUrl)) as NextRequestWithAuth, event);
  if (!(res instanceof Response)) throw new Error(`no response for ${pathname}`);
  return res;
}

afterEach(() => {
  delete process.env.PUBLIC_URL;
  delete (globalThis as { __pairdeskEnv?: unknown }).__pairdeskEnv;
});

describe("proxy", () => {
  it("sends Strict-Transport-Security when PUBLIC_URL is https, on pages and on the sign-in redirect", async () => {
    const page = await run("https://pairdesk.example.com", "/login");
    expect(page.headers.get("strict-transport-security")).toBe(HSTS);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");

    const gated = await run("https://pairdesk.example.com", "/terminals");
    expect(gated.status).toBe(307);
    expect(gated.headers.get("location")).toContain("/login");
    expect(gated.headers.get("strict-transport-security")).toBe(HSTS);
  });

  it("sends no Strict-Transport-Security over plain http", async () => {
    const page = await run("http://localhost:3000", "/login");
    expect(page.headers.get("strict-transport-security")).toBeNull();
    expect(page.headers.get("cache-control")).toBe("no-store");
  });
});
