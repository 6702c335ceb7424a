import { expectNoSeriousViolations } from "./axe";
import { expect, sessionState, simOtp, simTerminal, submitPairForm, test } from "./fixtures";


// A scan takes seconds on a busy machine: a few pages a test, so that none outlasts its time.
for (const path of ["/", "/terminals", "/terminals/pair", "/attempts", "/audit", "/users", "/simulator", "/no-such-page"]) {
  test(`${path} passes an axe scan with no serious or critical violation`, async ({ page, asRole }) => {
    await asRole("admin");
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await expectNoSeriousViolations(page, path);
  });
}

test("sign-in, a terminal, its credentials dialog, the pair form's errors and a viewer's pages pass an axe scan", async ({ page, asRole }) => {
  test.slow();
  await page.goto("/login");
  await expectNoSeriousViolations(page, "login");

  // The shared sessions; the other worker adds rows meanwhile, so the pages scanned hold more
  // than this test's own (the scan asserts on no particular row).
  await asRole("admin");
  const terminalId = await simTerminal(page.request);
  await submitPairForm(page, { name: "Axe till", otp: await simOtp(page.request, terminalId) });
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  const terminalPage = new URL(page.url()).pathname;
  await expectNoSeriousViolations(page, "terminal page");

  await page.getByRole("button", { name: "Reveal credentials" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectNoSeriousViolations(page, "reveal dialog");
  await page.keyboard.press("Escape");

  // The pairing form with its errors showing.
  await page.goto("/terminals/pair");
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByText("Enter a name for this pairing.")).toBeVisible();
  await expectNoSeriousViolations(page, "pair form with errors");

  const ctx = await page.context().browser()!.newContext({ storageState: sessionState("viewer") });
  const vpage = await ctx.newPage();
  await vpage.goto("/users");
  await expect(vpage.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await vpage.waitForLoadState("networkidle");
  await expectNoSeriousViolations(vpage, "forbidden page");
  await vpage.goto(terminalPage);
  await expectNoSeriousViolations(vpage, "terminal page as viewer");
  await ctx.close();
});
