import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * Fails on any serious or critical WCAG 2.1 A/AA violation of the page as it is now. `include`
 * limits the scan to one part (a dialog whose page is scanned on its own elsewhere).
 */
export async function expectNoSeriousViolations(page: Page, label: string, options: { include?: string } = {}) {
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  if (options.include) builder = builder.include(options.include);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect(serious, `${label}\n${serious.join("\n")}`).toEqual([]);
}

export type Scheme = "light" | "dark";

/**
 * The same scan in each colour scheme, set as the system's (the app follows it unless the user
 * chose one with the toggle): the page as it is now, light then dark. Leaves it light.
 */
export async function expectNoSeriousViolationsInSchemes(page: Page, label: string, schemes: Scheme[] = ["light", "dark"]) {
  const html = page.locator("html");
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    if (scheme === "dark") await expect(html).toHaveClass(/\bdark\b/);
    else await expect(html).not.toHaveClass(/\bdark\b/);
    await expectNoSeriousViolations(page, `${label} (${scheme})`);
  }
  if (schemes.at(-1) !== "light") {
    await page.emulateMedia({ colorScheme: "light" });
    await expect(html).not.toHaveClass(/\bdark\b/);
  }
}
