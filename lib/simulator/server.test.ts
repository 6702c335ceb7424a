import { testDataDir } from "../test/setup-env";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getSimulator } from "./server";

Object.assign(process.env, {
  PAIRDESK_SIMULATOR: "on",
  SIMULATOR_DATABASE_PATH: path.join(testDataDir, "simulator.db"),
  PUBLIC_URL: "http://localhost:3000",
  PAY_CONNECT_PRODUCTION_INTEGRATOR_ID: "prod-integrator",
  PAY_CONNECT_SANDBOX_INTEGRATOR_ID: "sandbox-integrator",
});

afterAll(() => getSimulator()?.db.close());

describe("getSimulator", () => {
  it("accepts the sandbox integrator id only, never the production one", () => {
    const sim = getSimulator()!;
    expect([...sim.integratorIds]).toEqual(["sandbox-integrator"]);
    expect(sim.integratorIds.has("prod-integrator")).toBe(false);
    expect(sim.publicOrigin).toBe("http://localhost:3000");
  });
});
