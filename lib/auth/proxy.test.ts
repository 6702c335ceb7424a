import "../test/setup-env";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";

// A build's action manifest of the test's own (whether a real build sits in .next or not): the
// action "abc" belongs to the sign-in page and the users page.
const manifestDir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-proxy-"));
process.env.PAIRDESK_ACTIONS_MANIFEST = path.join(manifestDir, "server-reference-manifest.json");
fs.writeFileSync(
  process.env.PAIRDESK_ACTIONS_MANIFEST,
  JSON.stringify({ node: { abc: { workers: { "app/(auth)/login/page": {}, "app/(admin)/users/page": {} } }, other: { workers: { "app/simulator/page": {} } } } }),
);
const { default: proxy } = await import("../../proxy");

const HSTS = "max-age=31536000; includeSubDomains";

/** Runs the proxy on a request as the configured PUBLIC_URL would see it. */
async function run(publicUrl: string, pathname: string): Promise<Response> {
  process.env.PUBLIC_URL = publicUrl;
  delete (globalThis as { __pairdeskEnv?: unknown }).__pairdeskEnv; // reload the configuration
  return proxy(new NextRequest(new URL(pathname, publicUrl)));
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

describe("proxy refusals", () => {
  const base = "http://localhost:3000";
  async function send(pathname: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
    process.env.PUBLIC_URL = base;
    delete (globalThis as { __pairdeskEnv?: unknown }).__pairdeskEnv;
    return proxy(new NextRequest(new URL(pathname, base), init as ConstructorParameters<typeof NextRequest>[1]));
  }
  function actionForm(root: string, extra: Record<string, string> = {}) {
    const form = new FormData();
    for (const [k, v] of Object.entries(extra)) form.append(k, v);
    form.append("0", root);
    return form;
  }
  async function multipart(form: FormData) {
    const req = new Request("http://x", { method: "POST", body: form });
    const body = new Uint8Array(await req.arrayBuffer());
    return { body, headers: { "content-type": req.headers.get("content-type")!, "content-length": String(body.length) } };
  }

  it("answers 400 to a path with malformed percent-encoding", async () => {
    const res = await send("/terminals/%ZZ");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("malformed percent-encoding");
  });

  it("answers 401, not a redirect, to a signed-out API call", async () => {
    const res = await send("/api/dashboard");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Your session has ended. Sign in again." });
  });

  it("lets a form's action call through, and refuses one that is not form data, too big, or without a length", async () => {
    const ok = await multipart(actionForm('["$undefined","$K1"]', { _1_userId: "3" }));
    const passed = await send("/login", { method: "POST", body: ok.body, headers: { ...ok.headers, "next-action": "abc" } });
    expect(passed.status).toBe(200);
    expect(passed.headers.get("x-middleware-next")).toBe("1");

    const notForm = await multipart(actionForm('["$undefined","hello"]'));
    const refused = await send("/login", { method: "POST", body: notForm.body, headers: { ...notForm.headers, "next-action": "abc" } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("its arguments are not form data");

    const json = JSON.stringify(["$undefined", "x"]);
    const text = await send("/login", {
      method: "POST",
      body: json,
      headers: { "content-type": "text/plain;charset=UTF-8", "content-length": String(json.length), "next-action": "abc" },
    });
    expect(text.status).toBe(400);
    expect(await text.text()).toContain("multipart form data");

    const big = await multipart(actionForm('["$undefined","$K1"]', { _1_name: "n".repeat(900 * 1024) }));
    const tooBig = await send("/users", { method: "POST", body: big.body, headers: { ...big.headers, "next-action": "abc" } });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toMatch(/too large/);

    const noLength = await send("/users", { method: "POST", body: "x", headers: { "content-type": ok.headers["content-type"], "next-action": "abc" } });
    expect(noLength.status).toBe(411);
  });

  it("refuses an action of another page, one the build does not know, and one from another site", async () => {
    const ok = await multipart(actionForm('["$undefined","$K1"]', { _1_userId: "3" }));
    const elsewhere = await send("/login", { method: "POST", body: ok.body, headers: { ...ok.headers, "next-action": "other" } });
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.text()).toContain("it names a form of another page");
    const unknown = await send("/login", { method: "POST", body: ok.body, headers: { ...ok.headers, "next-action": "zzz" } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("it names no form of this version of Pairdesk");
    const foreign = await send("/users", { method: "POST", body: ok.body, headers: { ...ok.headers, "next-action": "abc", origin: "http://evil.example" } });
    expect(foreign.status).toBe(403);
    const own = await send("/users", { method: "POST", body: ok.body, headers: { ...ok.headers, "next-action": "abc", origin: "http://localhost:3000" } });
    expect(own.status).not.toBe(403);
  });

  it("refuses an oversized sign-in before next-auth reads it", async () => {
    const body = `email=a%40example.com&password=${"x".repeat(3 * 1024 * 1024)}`;
    const res = await send("/api/auth/callback/credentials", {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length) },
    });
    expect(res.status).toBe(413);
  });
});
