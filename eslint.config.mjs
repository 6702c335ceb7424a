import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

const config = [
  ...next,
  ...nextTs,
  {
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
    },
  },
  {
    // Pages, route handlers and components reach the queries only through lib/auth/access.ts, which
    // takes the merchant scope from the signed-in user: they may not build a query context (or
    // a scope) of their own, nor open the database directly.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    // The simulator (its own database) and the health check (no merchant data) are exempt.
    ignores: ["app/simulator/**", "app/api/health/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@/lib/auth/scope",
              importNames: ["queryContext", "EVERY_MERCHANT", "merchantScope", "authorityOf", "viewOf"],
              message: "Get the query context from lib/auth/access.ts (pageAccess / access): it takes the scope from the session.",
            },
            { name: "@/lib/db/client", message: "Read through the domain queries (with the context from lib/auth/access.ts), which keep to the merchant scope." },
          ],
        },
      ],
    },
  },
  {
    ignores: [".next/**", "node_modules/**", "drizzle/**", "next-env.d.ts", ".e2e/**", "data/**", "test-results/**", "playwright-report/**"],
  },
];

export default config;
