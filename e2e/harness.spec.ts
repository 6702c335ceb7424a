/**
 * The harness itself and the simulator's behaviour the suite relies on: the shared sessions,
 * faults scoped per simulated terminal (so that two workers never take each other's), OTPs that
 * do not depend on case, and the simulator's cap on request bodies.
 */
import { ROLES } from "../lib/db/schema";
import { roleLabel } from "../lib/domain";
import {
  clearSimFaults,
  expect,
  simFault,
  simOtp,
  simPairings,
  simTerminal,
  submitPairForm,
  test,
} from "./fixtures";
import { E2E_INTEGRATOR_ID } from "./env";
import { attempts, pairingsOfTerminal, uniqueTag } from "./seed";

test.describe("shared sessions", () => {
  for (const role of ROLES) {
    test(`the setup project's ${role} session is signed in as that user`, async ({ page, asRole }) => {
      const user = await asRole(role);
      await page.goto("/");
      await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
      await expect(page.getByTestId("current-role")).toHaveText(roleLabel(role));
      expect(user.email).toMatch(new RegExp(`^${role}-[0-9a-f]+@e2e\\.test$`));
    });
  }
});

test.describe("simulator faults are scoped to their terminal", () => {
  test("a fault armed for one terminal fails that terminal's pair call only", async ({ page, asRole }) => {
    const support = await asRole("support");
    const faulty = await simTerminal(page.request);
    const healthy = await simTerminal(page.request);
    await simFault(page.request, "pair_500", { terminalId: faulty });

    // The other terminal pairs although a pair fault is armed (for the first one).
    const healthyName = `Healthy ${uniqueTag()}`;
    await submitPairForm(page, { name: healthyName, otp: await simOtp(page.request, healthy) });
    await expect(page.getByTestId("paired-notice")).toBeVisible();
    expect(await pairingsOfTerminal(healthy)).toMatchObject([{ name: healthyName, status: "active" }]);

    // The faulty one takes its fault.
    const faultyName = `Faulty ${uniqueTag()}`;
    await submitPairForm(page, { name: faultyName, otp: await simOtp(page.request, faulty) });
    await expect(page.getByTestId("pair-error")).toContainText("Pay-Connect is unavailable");
    expect(await attempts({ name: faultyName, createdById: support.id })).toMatchObject([{ status: "failed", errorCode: "unavailable" }]);
    expect(await simPairings(page.request, faulty)).toEqual([]);
  });

  test("clearing a terminal's faults leaves another terminal's armed", async ({ request }) => {
    const mine = await simTerminal(request);
    const theirs = await simTerminal(request);
    await simFault(request, "unpair_500", { terminalId: mine, count: 2 });
    await simFault(request, "token_500", { terminalId: theirs });
    await clearSimFaults(request, mine);

    const list = async (terminalId: string) =>
      ((await (await request.get(`/simulator/api/faults?terminal_id=${terminalId}`)).json()) as {
        faults: { kind: string; terminal_id: string }[];
      }).faults;
    expect(await list(mine)).toEqual([]);
    expect(await list(theirs)).toMatchObject([{ kind: "token_500", terminal_id: theirs }]);
    await clearSimFaults(request, theirs);
    expect(await list(theirs)).toEqual([]);
  });

  test("a fault for an unknown terminal is refused with a clear message", async ({ request }) => {
    const res = await request.post("/simulator/api/faults", { data: { kind: "pair_500", terminal_id: "SIM-NOPE0000" } });
    expect(res.status()).toBe(404);
    expect(await res.json()).toEqual({ detail: "No simulated terminal SIM-NOPE0000" });
  });
});

test("an OTP typed in lower case pairs the terminal", async ({ page, asRole }) => {
  await asRole("support");
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  expect(otp).toMatch(/[A-Z]/);
  const name = `Lower case ${uniqueTag()}`;
  await submitPairForm(page, { name, otp: otp.toLowerCase() });
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  expect(await pairingsOfTerminal(terminalId)).toMatchObject([{ name, status: "active" }]);
  expect(await simPairings(page.request, terminalId)).toMatchObject([{ name, status: "active" }]);
});

test("the simulator answers a too-large body with 413 and a clear message, and does nothing", async ({ request }) => {
  const terminalId = await simTerminal(request);
  const otp = await simOtp(request, terminalId);
  const res = await request.post("/simulator/api/v1/pay-connect/pair/", {
    headers: { "Content-Type": "application/json", "X-Pay-Connect-Integrator-Id": E2E_INTEGRATOR_ID },
    data: JSON.stringify({ name: "Too big", otp, pad: "x".repeat(100 * 1024) }),
  });
  expect(res.status()).toBe(413);
  expect(await res.json()).toEqual({
    detail: "Request body too large: the simulator accepts at most 65536 bytes (64 KiB).",
  });
  expect(await simPairings(request, terminalId)).toEqual([]);

  const fault = await request.post("/simulator/api/faults", {
    data: { kind: "pair_500", terminal_id: terminalId, pad: "x".repeat(100 * 1024) },
  });
  expect(fault.status()).toBe(413);
  expect(
    ((await (await request.get(`/simulator/api/faults?terminal_id=${terminalId}`)).json()) as { faults: unknown[] }).faults,
  ).toEqual([]);
});
