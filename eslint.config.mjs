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
    // The data layer is asynchronous (lib/db/open.ts): a query or command that is not awaited
    // runs outside its transaction, or after the answer. Type-aware, so that a forgotten await
    // is an error, not a race.
    files: ["**/*.{ts,tsx}"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // Nothing above lib/db/ depends on the driver being synchronous: no better-sqlite3 calls
    // (.all(), .get(), .run()) on a query. Exempt: the simulator (its own SQLite file, playing
    // Pay-Connect), lib/ops/ (the SQLite file's operator tooling: backup, restore, rewrap, the
    // health check's file checks, on a handle of their own) and the test helpers.
    files: ["lib/**/*.ts", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ignores: ["lib/db/**", "lib/simulator/**", "lib/ops/**", "lib/test/**", "**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[arguments.length=0] > MemberExpression.callee[property.name=/^(all|get|run|sync)$/]",
          message: "Await the query (`await db.select()…`, `firstRow(…)`, `changedRows(await …)` from lib/db/query.ts): the data layer is asynchronous.",
        },
        {
          selector: "MemberExpression[property.name='$client']",
          message: "The driver's handle is lib/db's (and lib/ops' SQLite tooling): write the query with drizzle, or add what it needs to lib/db/.",
        },
      ],
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
            { name: "drizzle-orm", message: "Pages and components do not build queries: call a query of lib/<domain>/." },
          ],
          patterns: [
            {
              group: ["@/lib/db/*", "**/lib/db/*"],
              message: "Pages and components never reach the database layer: types and constants come from lib/domain.ts, rows from a query of lib/<domain>/.",
            },
          ],
        },
      ],
    },
  },
  {
    // The layers, as import zones: lib/ is below the pages and never imports components/ or app/;
    // lib/domain.ts (the constants client components share) imports nothing at all. A test may
    // reach across (a CSV column set checked against its query).
    files: ["lib/**/*.ts"],
    ignores: ["lib/**/*.test.ts"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            { target: "./lib", from: ["./components", "./app"], message: "lib/ never imports components/ or app/: move what both need into lib/." },
            { target: "./lib/domain.ts", from: ["./lib", "./components", "./app", "./node_modules"], message: "lib/domain.ts imports nothing: client components import it." },
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
