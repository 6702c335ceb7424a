import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { actionArgumentsProblem, actionRouteProblem, actionRoutes, allowedOrigins, originProblem, routePattern } from "./action-request";

describe("a server action's arguments", () => {
  it("takes what Pairdesk forms send", () => {
    expect(actionArgumentsProblem('["$undefined","$K1"]')).toBeNull();
    expect(actionArgumentsProblem('["$K1"]')).toBeNull();
    expect(actionArgumentsProblem('[{"ok":false,"error":"$$5 off","fieldErrors":{"amount":["Enter an amount."]}},"$K1"]')).toBeNull();
    expect(actionArgumentsProblem('[12,"$undefined","$K2"]')).toBeNull();
  });
  it("refuses long lists, references no form sends, and what is not form data", () => {
    expect(actionArgumentsProblem(JSON.stringify([...Array(5000).fill("x"), "$K1"]))).toBe("it has 5001 arguments");
    expect(actionArgumentsProblem('["$@1","$Q1","$K1"]')).toBe("it holds a reference no Pairdesk form sends ($@1)");
    expect(actionArgumentsProblem('[{"a":"$Q1"},"$K1"]')).toBe("it holds a reference no Pairdesk form sends ($Q1)");
    expect(actionArgumentsProblem('["$1","$K1"]')).toMatch(/reference no Pairdesk form sends/);
    expect(actionArgumentsProblem('["$undefined","x"]')).toBe("its arguments are not form data");
    expect(actionArgumentsProblem("{")).toBe("its arguments are not valid JSON");
    expect(actionArgumentsProblem(null)).toBe("its arguments are not a list");
    let deep: unknown = "x";
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(actionArgumentsProblem(JSON.stringify([deep, "$K1"]))).toBe("its arguments are nested too deeply");
  });
});

describe("a server action's origin", () => {
  const base = { publicUrl: "https://pairdesk.example.com", protocol: "http:", host: "127.0.0.1:3000", forwardedHost: null, forwardedProto: null, trustedProxyHops: 0 };
  it("is the public URL's or the host's the browser asked for", () => {
    const allowed = allowedOrigins(base);
    expect(originProblem("https://pairdesk.example.com", allowed)).toBeNull();
    expect(originProblem("http://127.0.0.1:3000", allowed)).toBeNull();
    expect(originProblem(null, allowed)).toBeNull();
    expect(originProblem("http://evil.example", allowed)).toBe("it came from another site (http://evil.example)");
    expect(originProblem("null", allowed)).toMatch(/no origin/);
  });
  it("counts X-Forwarded-Host only behind a trusted proxy, and then the value the nearest proxy set", () => {
    expect(originProblem("http://evil.example", allowedOrigins({ ...base, forwardedHost: "evil.example" }))).not.toBeNull();
    const proxied = allowedOrigins({ ...base, forwardedHost: "evil.example, pairdesk.internal", forwardedProto: "https", trustedProxyHops: 1 });
    expect(originProblem("https://pairdesk.internal", proxied)).toBeNull();
    expect(originProblem("https://evil.example", proxied)).not.toBeNull();
  });
});

describe("a server action's page", () => {
  it("maps a build's pages to the paths they serve", () => {
    expect(routePattern("app/(admin)/terminals/[id]/page").test("/terminals/12")).toBe(true);
    expect(routePattern("app/(admin)/terminals/[id]/page").test("/terminals/12/pair-again")).toBe(false);
    expect(routePattern("app/(admin)/(home)/page").test("/")).toBe(true);
    expect(routePattern("app/simulator/page").test("/simulator")).toBe(true);
  });
  it("refuses an action the build does not know, or one of another page", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairdesk-manifest-"));
    fs.mkdirSync(path.join(dir, ".next", "server"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, ".next", "server", "server-reference-manifest.json"),
      JSON.stringify({ node: { abc: { workers: { "app/(admin)/terminals/[id]/page": {}, "app/(admin)/registers/[id]/page": {} } } } }),
    );
    const routes = actionRoutes(dir);
    expect(actionRouteProblem("abc", "/terminals/4", routes)).toBeNull();
    expect(actionRouteProblem("abc", "/login", routes)).toBe("it names a form of another page");
    expect(actionRouteProblem("zzz", "/terminals/4", routes)).toBe("it names no form of this version of Pairdesk");
    expect(actionRouteProblem("zzz", "/terminals/4", null)).toBeNull();
  });
});
