import { expectNoSeriousViolationsInSchemes } from "./axe";
import type { Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import type { PairingStatus } from "../lib/db/schema";
import { expect, test } from "./fixtures";
import { seedAttempt, seedAudit, seedTerminalsWithPairings } from "./seed";
import { seedLocation, seedRegister } from "./seed-terminal-registers";

const tag = () => randomBytes(3).toString("hex");
const pad = (i: number) => String(i).padStart(3, "0");

/**
 * 120 terminals `<prefix>001…120`: every 4th is sandbox (30), the rest production (90); every 5th
 * has no active pairing (24 unpaired; every 20th has an ended one); every 10th from 1 was paired
 * before (its older pairing is replaced) and two registers route to it; terminal 7's pairing has a
 * unique name.
 */
async function seedTerminals(creatorId: number) {
  const prefix = `LST${tag()}-`.toUpperCase();
  const nameTag = `Aquarium ${tag()}`;
  const now = Date.now();
  const numbers = Array.from({ length: 120 }, (_, k) => k + 1);
  const refs = await seedTerminalsWithPairings(
    numbers.map((i) => {
      const pairing = (name: string, status: PairingStatus, at: number) => ({ name, status, createdById: creatorId, createdAt: new Date(at) });
      const pairings = [];
      if (i % 5 === 0) {
        if (i % 20 === 0) pairings.push(pairing(`${prefix} ended register ${i}`, "unpaired", now - 86_400_000));
      } else {
        if (i % 10 === 1) pairings.push(pairing(`${prefix} older register ${i}`, "replaced", now - 3_600_000));
        pairings.push(pairing(i === 7 ? nameTag : `${prefix} register ${i}`, "active", now - i * 1000));
      }
      return { terminalId: `${prefix}${pad(i)}`, environment: i % 4 === 0 ? "sandbox" : "production", pairings };
    }),
  );
  const ids = new Map(numbers.map((i, k) => [i, refs[k]!]));
  const location = await seedLocation(`${prefix} location`);
  for (const i of numbers.filter((n) => n % 10 === 1)) {
    for (const r of [1, 2]) await seedRegister({ locationId: location.id, name: `${prefix} till ${i}.${r}`, terminalRef: ids.get(i)! });
  }
  return { prefix, nameTag, ids };
}

const rows = (page: Page) => page.getByTestId("terminal-row");
const summary = (page: Page) => page.getByTestId("pagination-summary");
const filters = (page: Page) => page.getByRole("search", { name: "Filter terminals" });

test.describe("terminal list", () => {
  test("search, filters and pages live in the URL and show the right terminals", async ({ page, asRole }) => {
    test.slow(); // 120 terminals seeded, a dozen pages of them, two axe scans: over 40 s on a busy machine
    const viewer = await asRole("viewer");
    const { prefix, nameTag, ids } = await seedTerminals(viewer.id);
    await page.goto("/terminals");
    await expect(page.getByRole("heading", { level: 1, name: "Terminals" })).toBeVisible();
    // A viewer cannot pair.
    await expect(page.getByRole("link", { name: "Pair terminal" })).toHaveCount(0);

    // Search by the prefix (applies as typing pauses): 120 terminals, 50 a page, in terminal id order.
    await filters(page).getByLabel("Search").fill(prefix);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${prefix}`));
    await expect(summary(page)).toHaveText("Showing 1–50 of 120 terminals");
    await expect(rows(page)).toHaveCount(50);
    await expect(rows(page).first()).toContainText(`${prefix}001`);
    await expectNoSeriousViolationsInSchemes(page, "terminal list, searched");

    // The active pairing is shown (not the replaced one), and the two registers routed to it.
    const t11 = rows(page).filter({ hasText: `${prefix}011` });
    await expect(t11).toContainText(`${prefix} register 11`);
    await expect(t11).not.toContainText("older register");
    await expect(t11.getByTestId("register-count")).toHaveText(/^2\b/);
    await expect(rows(page).filter({ hasText: `${prefix}012` }).getByTestId("register-count")).toHaveText("0");
    await expect(t11).toContainText(viewer.email);
    await expect(t11).toContainText("paired");
    await expect(t11.getByRole("link", { name: `${prefix}011` })).toHaveAttribute("href", `/terminals/${ids.get(11)}`);
    const t5 = rows(page).filter({ hasText: `${prefix}005` });
    await expect(t5).toContainText("unpaired");

    // Page 2 keeps the search.
    await page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "Page 2" }).click();
    await expect(page).toHaveURL(new RegExp(`q=${prefix}.*page=2|page=2.*q=${prefix}`));
    await expect(summary(page)).toHaveText("Showing 51–100 of 120 terminals");
    await expect(rows(page).first()).toContainText(`${prefix}051`);
    await expect(page.getByRole("link", { name: "Page 2" })).toHaveAttribute("aria-current", "page");

    // A narrower search: <prefix>01 is terminals 010–019.
    await filters(page).getByLabel("Search").fill(`${prefix.toLowerCase()}01`);
    await expect(summary(page)).toHaveText("Showing 1–10 of 10 terminals");
    await expect(page).not.toHaveURL(/page=2/);
    const shown = await rows(page).locator("td:first-child").allTextContents();
    expect(shown).toEqual(Array.from({ length: 10 }, (_, k) => `${prefix}${pad(10 + k)}`));

    // A pairing name finds its terminal.
    await filters(page).getByLabel("Search").fill(nameTag.toLowerCase());
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(`${prefix}007`);
    await expect(rows(page).first()).toContainText(nameTag);

    // Environment and status filters, in the URL.
    await page.goto(`/terminals?q=${prefix}`);
    await filters(page).getByLabel("Environment").selectOption("sandbox");
    await filters(page).getByLabel("Status").selectOption("unpaired");
    await expect(page).toHaveURL(/environment=sandbox/);
    await expect(page).toHaveURL(/status=unpaired/);
    await expect(summary(page)).toHaveText("Showing 1–6 of 6 terminals");
    expect(await rows(page).locator("td:first-child").allTextContents()).toEqual(
      [20, 40, 60, 80, 100, 120].map((i) => `${prefix}${pad(i)}`),
    );
    for (const text of await rows(page).allTextContents()) {
      expect(text).toContain("sandbox");
      expect(text).toContain("unpaired");
    }
    // The form shows the URL's filters.
    await expect(filters(page).getByLabel("Environment")).toHaveValue("sandbox");
    await expect(filters(page).getByLabel("Status")).toHaveValue("unpaired");

    await filters(page).getByLabel("Status").selectOption("paired");
    await expect(summary(page)).toHaveText("Showing 1–24 of 24 terminals");

    // Page 2 of a filtered list keeps the filters.
    await page.goto(`/terminals?q=${prefix}&environment=production`);
    await expect(summary(page)).toHaveText("Showing 1–50 of 90 terminals");
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page).toHaveURL(/environment=production/);
    await expect(summary(page)).toHaveText("Showing 51–90 of 90 terminals");
    for (const text of await rows(page).allTextContents()) expect(text).toContain("production");

    // Bad values fall back to the defaults instead of failing.
    await page.goto(`/terminals?q=${prefix}&environment=mars&status=maybe&page=-3`);
    await expect(summary(page)).toHaveText("Showing 1–50 of 120 terminals");

    // One match reads in the singular.
    await page.goto(`/terminals?q=${prefix}007`);
    await expect(summary(page)).toHaveText("Showing 1 terminal");

    // Nothing matches: the empty state, and no summary repeating it.
    await page.goto(`/terminals?q=${prefix}-nothing-here`);
    await expect(page.getByText("No terminals match these filters.")).toBeVisible();
    await expect(summary(page)).toHaveCount(0);
    await page.getByRole("link", { name: "Clear filters" }).first().click();
    await expect(page).toHaveURL(/\/terminals$/);
  });

  test("support sees the Pair terminal button", async ({ page, asRole }) => {
    await asRole("support");
    await page.goto("/terminals");
    await expect(page.getByRole("link", { name: "Pair terminal" })).toHaveAttribute("href", "/terminals/pair");
  });
});

test("pairing attempts show a failed attempt's reason and link the known terminal", async ({ page, asRole }) => {
  const viewer = await asRole("viewer");
  const { prefix, ids } = await seedTerminals(viewer.id);
  const t = tag();
  const reason = `The terminal rejected the OTP (${t}): ask the merchant to generate a new one on the terminal.`;
  await seedAttempt({ environment: "sandbox", name: `Front desk ${t}`, status: "failed", reason, errorCode: "otp_rejected", createdById: viewer.id });
  await seedAttempt({ environment: "production", name: `Back bar ${t}`, status: "needs_recovery", terminalId: `${prefix}001`, createdById: viewer.id });

  await page.goto("/attempts");
  await expect(page.getByRole("heading", { level: 1, name: "Pairing attempts" })).toBeVisible();
  const form = page.getByRole("search", { name: "Filter pairing attempts" });
  await form.getByLabel("Search").fill(t);
  await form.getByLabel("Outcome").selectOption("failed");
  await expect(page).toHaveURL(/status=failed/);
  const attemptRows = page.getByTestId("attempt-row");
  await expect(attemptRows).toHaveCount(1);
  const failed = attemptRows.first();
  await expect(failed).toContainText(`Front desk ${t}`);
  await expect(failed).toContainText(reason);
  await expect(failed).toContainText("otp_rejected");
  await expect(failed).toContainText("failed");
  await expect(failed).toContainText(viewer.email);
  await expect(failed).toContainText("not known");
  await expectNoSeriousViolationsInSchemes(page, "attempts, filtered");

  await form.getByLabel("Outcome").selectOption("all");
  await expect(attemptRows).toHaveCount(2);
  const recovery = attemptRows.filter({ hasText: `Back bar ${t}` });
  await expect(recovery).toContainText("needs recovery");
  await expect(recovery).toContainText("An admin must complete the recovery.");
  await expect(recovery.getByRole("link", { name: `${prefix}001` })).toHaveAttribute("href", `/terminals/${ids.get(1)}`);
});

test("the audit log filters by action and by actor", async ({ page, asRole }) => {
  const viewer = await asRole("viewer");
  const { prefix, ids } = await seedTerminals(viewer.id);
  const t = tag();
  const actor = `auditor-${t}@e2e.test`;
  await seedAudit({ actorEmail: actor, action: "pairing.unpair", targetType: "terminal", targetId: ids.get(3)!, details: { name: `Till ${t}`, environment: "production" } });
  await seedAudit({ actorEmail: actor, action: "user.create", targetType: "user", targetId: 999999, details: { email: `someone-${t}@e2e.test`, role: "viewer" } });

  await page.goto("/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const form = page.getByRole("search", { name: "Filter the audit log" });
  await form.getByLabel("Action").selectOption("pairing.unpair");
  await expect(page).toHaveURL(/action=pairing\.unpair/);
  const auditRows = page.getByTestId("audit-row");
  await expect(auditRows.filter({ hasText: `Till ${t}` })).toHaveCount(1);
  await expect(page.locator('[data-testid="audit-row"]:not([data-action="pairing.unpair"])')).toHaveCount(0);
  const row = auditRows.filter({ hasText: `Till ${t}` });
  await expect(row).toContainText(actor);
  await expect(row).toContainText("name:");
  await expect(row).toContainText("environment:");
  // The action reads in words; the target is named by its terminal id and links to it.
  await expect(row).toContainText("Terminal unpaired");
  await expect(row.getByRole("link", { name: `Terminal ${prefix}003` })).toHaveAttribute("href", `/terminals/${ids.get(3)}`);
  await expectNoSeriousViolationsInSchemes(page, "audit log, filtered");

  // By actor: both entries; with the action again, one.
  await form.getByLabel("Action").selectOption("all");
  await form.getByLabel("Actor").fill(actor);
  await expect(page).toHaveURL(/actor=auditor-/);
  await expect(auditRows).toHaveCount(2);
  await expect(auditRows.first()).toHaveAttribute("data-action", "user.create");
  await form.getByLabel("Action").selectOption("pairing.unpair");
  await expect(auditRows).toHaveCount(1);
  await expect(page).toHaveURL(/action=pairing\.unpair/);
  await expect(page).toHaveURL(/actor=auditor-/);
});
