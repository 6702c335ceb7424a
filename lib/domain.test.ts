import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as domain from "./domain";
import * as schema from "./db/schema";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The modules a file imports or re-exports at runtime (type-only imports left out). */
function runtimeImports(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gms;
  for (const m of source.matchAll(re)) {
    if (m[5]) {
      out.push(m[5]);
      continue;
    }
    if (m[2]) continue; // import type … / export type …
    const braces = /^\{([^}]*)\}$/s.exec(m[3]!.trim());
    if (braces) {
      const names = braces[1]!.split(",").map((s) => s.trim()).filter(Boolean);
      if (names.length > 0 && names.every((n) => n.startsWith("type "))) continue;
    }
    out.push(m[4]!);
  }
  return out;
}

function resolveLocal(spec: string, from: string): string | null {
  const base = spec.startsWith("@/") ? path.join(ROOT, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

function clientFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts"))
    .map((f) => path.join(dir, f))
    .filter((f) => /^\s*["']use client["']/.test(fs.readFileSync(f, "utf8")));
}

describe("lib/domain", () => {
  // That lib/domain.ts imports nothing, lib/ never imports components/ or app/, and components
  // never import lib/db: ESLint's import zones (eslint.config.mjs). What a lint rule cannot see
  // is a chain: a client component → a lib module → lib/db/schema/. The walk below follows it.
  it("lib/db/schema re-exports the same constants", () => {
    for (const name of ["ROLES", "ENVIRONMENTS", "PAIRING_STATUSES", "ATTEMPT_STATUSES", "SECRET_FIELDS"] as const) {
      expect(schema[name], name).toBe(domain[name]);
    }
  });

  it("no client component reaches lib/db/schema or drizzle at runtime", () => {
    const offenders: string[] = [];
    const roots = ["app", "components", "lib"].flatMap((d) => clientFiles(path.join(ROOT, d)));
    expect(roots.length).toBeGreaterThan(0);
    for (const root of roots) {
      const seen = new Set<string>();
      const walk = (file: string, chain: string[]) => {
        if (seen.has(file)) return;
        seen.add(file);
        const source = fs.readFileSync(file, "utf8");
        // A server action module reaches the client as a reference only.
        if (file !== root && /^\s*["']use server["']/.test(source)) return;
        for (const spec of runtimeImports(source)) {
          const here = [...chain, path.relative(ROOT, file)];
          if (spec === "drizzle-orm" || spec.startsWith("drizzle-orm/")) offenders.push([...here, spec].join(" → "));
          const next = resolveLocal(spec, file);
          if (!next) continue;
          const reached = path.relative(ROOT, next);
          if (reached.startsWith(path.join("lib", "db", "schema") + path.sep)) {
            offenders.push([...here, reached].join(" → "));
            continue;
          }
          walk(next, here);
        }
      };
      walk(root, []);
    }
    expect(offenders).toEqual([]);
  });
});
