/**
 * Several simulated terminals at once, each with its own screen and OTP; Pay-Connect pairs a
 * terminal once per integration, so pairing one again replaces its pairing on the provider's
 * side; the simulator's call log shows which calls Pairdesk made. Asserts on the simulator side
 * and on what the pairing form shows (Pairdesk's own storage of a second pairing is not ours).
 */
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expectNoSeriousViolations, expectNoSeriousViolationsInSchemes } from "./axe";
import { createUser, expect, signIn, simCalls, simPairings, submitPairForm, test } from "./fixtures";

/** The screen (a labelled region) of one simulated terminal. */
function screenOf(page: Page, terminalId: string) {
  return page.getByRole("region", { name: terminalId });
}

/** Adds a terminal with `label` from the simulator page; returns its id (the last in the address). */
async function addTerminal(page: Page, label: string): Promise<string> {
  const before = new URL(page.url()).searchParams.getAll("terminal");
  await page.getByLabel("Label (optional)").fill(label);
  await page.getByRole("button", { name: "Add simulated terminal" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.getAll("terminal").length).toBe(before.length + 1);
  const ids = new URL(page.url()).searchParams.getAll("terminal");
  expect(ids.slice(0, -1)).toEqual(before);
  return ids.at(-1)!;
}

async function generateOtpOn(page: Page, terminalId: string): Promise<string> {
  const screen = screenOf(page, terminalId);
  const previous = (await screen.getByTestId("sim-otp").count()) ? await screen.getByTestId("sim-otp").innerText() : null;
  await screen.getByRole("button", { name: "Generate Pay-Connect OTP" }).click();
  const otp = screen.getByTestId("sim-otp");
  if (previous) await expect(otp).not.toHaveText(previous);
  await expect(otp).toHaveText(/^[A-Z0-9]{8}$/);
  return (await otp.innerText()).trim();
}

test("two terminals side by side, each with its own OTP; pairing one again replaces its pairing, and no unpair call is made", async ({
  page,
}, testInfo) => {
  test.slow();
  const tag = randomBytes(3).toString("hex");
  const support = await createUser("support");
  await signIn(page, support);

  // At the simulator: two terminals, added one after the other, both on the screen at once.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/simulator");
  const left = await addTerminal(page, `Left ${tag}`);
  const right = await addTerminal(page, `Right ${tag}`);
  await expect(page).toHaveURL(`/simulator?terminal=${left}&terminal=${right}`);
  const leftScreen = screenOf(page, left);
  const rightScreen = screenOf(page, right);
  await expect(leftScreen).toBeVisible();
  await expect(rightScreen).toBeVisible();
  await expect(page.getByTestId("sim-screen")).toHaveCount(2);
  await expect(leftScreen.getByRole("heading", { name: `Left ${tag}` })).toBeVisible();
  await expect(rightScreen.getByTestId("sim-terminal-id")).toHaveText(right);
  // Side by side on a desktop: the same row.
  const [lbox, rbox] = [await leftScreen.boundingBox(), await rightScreen.boundingBox()];
  expect(Math.abs(lbox!.y - rbox!.y)).toBeLessThan(2);
  expect(rbox!.x).toBeGreaterThan(lbox!.x + lbox!.width - 1);

  // Each screen generates its own OTP; the other screen's stays as it was.
  const leftOtp = await generateOtpOn(page, left);
  await expect(rightScreen.getByTestId("sim-otp")).toHaveCount(0);
  const rightOtp = await generateOtpOn(page, right);
  expect(rightOtp).not.toBe(leftOtp);
  await expect(leftScreen.getByTestId("sim-otp")).toHaveText(leftOtp);
  await expect(leftScreen.getByTestId("sim-otp-countdown")).toContainText(/expires in|valid for 5 minutes/i);
  await expectNoSeriousViolationsInSchemes(page, "simulator with two screens");
  await page.screenshot({ path: testInfo.outputPath("simulator-1280-otps.png"), fullPage: true });

  // Both paired through Pairdesk's pairing form.
  await submitPairForm(page, { name: `Left first ${tag}`, otp: leftOtp, environment: "sandbox" });
  await expect(page.getByRole("heading", { level: 1, name: `Terminal ${left}` })).toBeVisible();
  await submitPairForm(page, { name: `Right ${tag}`, otp: rightOtp, environment: "sandbox" });
  await expect(page.getByRole("heading", { level: 1, name: `Terminal ${right}` })).toBeVisible();

  await page.goto(`/simulator?terminal=${left}&terminal=${right}`);
  await expect(leftScreen.getByTestId("sim-paired-name")).toHaveText(`Left first ${tag}`);
  await expect(rightScreen.getByTestId("sim-paired-name")).toHaveText(`Right ${tag}`);
  const [firstPairing] = await simPairings(page.request, left);
  expect(firstPairing).toMatchObject({ name: `Left first ${tag}`, status: "active" });
  await expect(leftScreen.getByTestId("sim-active-pairing")).toContainText(firstPairing!.pay_connect_id);
  await expect(leftScreen.getByTestId("sim-calls")).toContainText("pair 200");

  // Pair the left terminal again, with a new OTP from its screen.
  const secondOtp = await generateOtpOn(page, left);
  await submitPairForm(page, { name: `Left second ${tag}`, otp: secondOtp, environment: "sandbox" });
  await expect(page.getByRole("heading", { level: 1, name: `Terminal ${left}` })).toBeVisible();

  // The simulator's screen: the second pairing active, the first one ended as replaced; the
  // right terminal untouched.
  await page.goto(`/simulator?terminal=${left}&terminal=${right}`);
  await expect(leftScreen.getByTestId("sim-active-pairing")).toHaveCount(1);
  await expect(leftScreen.getByTestId("sim-paired-name")).toHaveText(`Left second ${tag}`);
  const ended = leftScreen.getByTestId("sim-ended-pairing");
  await expect(ended).toHaveCount(1);
  await expect(ended).toContainText("Replaced");
  await expect(ended).toContainText(`Left first ${tag}`);
  await expect(ended).toContainText(firstPairing!.pay_connect_id);
  await expect(rightScreen.getByTestId("sim-paired-name")).toHaveText(`Right ${tag}`);
  await expect(rightScreen.getByTestId("sim-ended-pairing")).toHaveCount(0);
  await expectNoSeriousViolations(page, "simulator with a replaced pairing");
  await page.screenshot({ path: testInfo.outputPath("simulator-1280-replaced.png"), fullPage: true });

  // The provider's side, over its API.
  const leftPairings = await simPairings(page.request, left);
  expect(leftPairings.map((p) => [p.name, p.status])).toEqual([
    [`Left second ${tag}`, "active"],
    [`Left first ${tag}`, "replaced"],
  ]);
  expect(leftPairings[1]!.replaced_at).not.toBeNull();
  expect((await simPairings(page.request, right)).map((p) => p.status)).toEqual(["active"]);

  // The call log: the pair calls, and no unpair call for either terminal.
  const leftCalls = await simCalls(page.request, left);
  expect(leftCalls.filter((c) => c.call === "pair")).toEqual([
    { call: "pair", status: 200, at: expect.any(Number) },
    { call: "pair", status: 200, at: expect.any(Number) },
  ]);
  expect(leftCalls.map((c) => c.at)).toEqual([...leftCalls.map((c) => c.at)].sort((a, b) => b - a));
  expect(leftCalls.filter((c) => c.call === "unpair")).toEqual([]);
  const rightCalls = await simCalls(page.request, right);
  expect(rightCalls.filter((c) => c.call === "pair")).toHaveLength(1);
  expect(rightCalls.filter((c) => c.call === "unpair")).toEqual([]);
  // No secret, OTP or token in what the log answers.
  const raw = JSON.stringify([leftCalls, rightCalls]);
  for (const otp of [leftOtp, rightOtp, secondOtp]) expect(raw).not.toContain(otp);
  expect(Object.keys(leftCalls[0]!).sort()).toEqual(["at", "call", "status"]);

  // On a phone: the screens stacked, nothing wider than the screen.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await expect(leftScreen).toBeVisible();
  const [lphone, rphone] = [await leftScreen.boundingBox(), await rightScreen.boundingBox()];
  expect(rphone!.y).toBeGreaterThanOrEqual(lphone!.y + lphone!.height);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await expectNoSeriousViolations(page, "simulator on a phone");
  await page.screenshot({ path: testInfo.outputPath("simulator-375.png"), fullPage: true });
});

test("a screen hides and shows again; the bare page adds a terminal alone, and the calls of an unknown terminal are refused", async ({
  page,
  request,
}, testInfo) => {
  const tag = randomBytes(3).toString("hex");
  await page.goto("/simulator");
  const a = await addTerminal(page, `Alone ${tag}`);
  await expect(page).toHaveURL(`/simulator?terminal=${a}`);
  await expect(page.getByTestId("sim-screen")).toHaveCount(1);
  const b = await addTerminal(page, `Beside ${tag}`);
  await expect(page.getByTestId("sim-screen")).toHaveCount(2);

  await screenOf(page, a).getByRole("link", { name: `Hide the screen of Alone ${tag} (${a})` }).click();
  await expect(page).toHaveURL(`/simulator?terminal=${b}`);
  await expect(page.getByTestId("sim-screen")).toHaveCount(1);
  await page.getByRole("link", { name: `Show Alone ${tag} (${a}) beside` }).click();
  await expect(page).toHaveURL(`/simulator?terminal=${b}&terminal=${a}`);
  await expect(screenOf(page, a)).toBeVisible();

  // A screen's switch is armed for its own terminal only.
  const screen = screenOf(page, a);
  await screen.getByText("Test switches").click();
  await screen.getByRole("button", { name: "Fail next pair call (500)" }).click();
  await expect(screen.getByTestId("sim-faults")).toContainText("Pair call answers 500");
  const faults = async (id: string) =>
    ((await (await request.get(`/simulator/api/faults?terminal_id=${id}`)).json()) as { faults: { kind: string }[] }).faults;
  expect((await faults(a)).map((f) => f.kind)).toEqual(["pair_500"]);
  expect(await faults(b)).toEqual([]);
  await screen.getByRole("button", { name: "Clear switches" }).click();
  await expect(screen.getByTestId("sim-faults")).toHaveText("No switch armed");
  expect(await faults(a)).toEqual([]);

  expect(await simCalls(request, a)).toEqual([]);

  // Three at once fit one row of a desktop screen, each OTP whole on its screen.
  await page.setViewportSize({ width: 1280, height: 900 });
  const c = await addTerminal(page, `Third ${tag}`);
  for (const id of [b, a, c]) await generateOtpOn(page, id);
  const boxes = await Promise.all([b, a, c].map((id) => screenOf(page, id).boundingBox()));
  expect(new Set(boxes.map((box) => Math.round(box!.y))).size).toBe(1);
  for (const id of [b, a, c]) {
    const otp = screenOf(page, id).getByTestId("sim-otp");
    expect(await otp.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  await page.screenshot({ path: testInfo.outputPath("simulator-1280-three.png"), fullPage: true });

  const malformed = await request.get("/simulator/api/terminals/nope/calls");
  expect(malformed.status()).toBe(400);
  expect(await malformed.json()).toEqual({ detail: "terminal_id must be a simulated terminal id like SIM-AB12CD34" });
  expect((await request.get("/simulator/api/terminals/SIM-NOPE0000/calls")).status()).toBe(404);
});
