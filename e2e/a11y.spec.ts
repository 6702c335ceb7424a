import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createUser, expect, signIn, simOtp, simTerminal, submitPairForm, test } from "./fixtures";

async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect(serious, `${label}\n${serious.join("\n")}`).toEqual([]);
}

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
  await expectNoSeriousViolations(vpage, "forbidden page");
  await vpage.goto(terminalPage);
  await expectNoSeriousViolations(vpage, "terminal page as viewer");
  await ctx.close();
});
