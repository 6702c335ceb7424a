import { expectNoSeriousViolations } from "./axe";
import { createUser, expect, signIn, simOtp, simTerminal, submitPairForm, test } from "./fixtures";


test("every page passes an axe scan with no serious or critical violation", async ({ page }) => {
  await page.goto("/login");
  await expectNoSeriousViolations(page, "login");

  const admin = await createUser("admin");
  await signIn(page, admin);
  const terminalId = await simTerminal(page.request);
  await submitPairForm(page, { name: "Axe till", otp: await simOtp(page.request, terminalId) });
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  const terminalPage = new URL(page.url()).pathname;
  await expectNoSeriousViolations(page, "terminal page");

  await page.getByRole("button", { name: "Reveal credentials" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectNoSeriousViolations(page, "reveal dialog");
  await page.keyboard.press("Escape");

  for (const path of ["/", "/terminals", "/terminals/pair", "/attempts", "/audit", "/users", "/simulator", "/no-such-page"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await expectNoSeriousViolations(page, path);
  }

  // The pairing form with its errors showing.
  await page.goto("/terminals/pair");
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByText("Enter a name for this pairing.")).toBeVisible();
  await expectNoSeriousViolations(page, "pair form with errors");

  const viewer = await createUser("viewer");
  const ctx = await page.context().browser()!.newContext();
  const vpage = await ctx.newPage();
  await signIn(vpage, viewer);
  await vpage.goto("/users");
  await expect(vpage.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await vpage.waitForLoadState("networkidle");
  await expectNoSeriousViolations(vpage, "forbidden page");
  await vpage.goto(terminalPage);
  await expectNoSeriousViolations(vpage, "terminal page as viewer");
  await ctx.close();
});
