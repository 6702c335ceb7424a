import type { Locator, Page } from "@playwright/test";
import { expectNoSeriousViolations, expectNoSeriousViolationsInSchemes } from "./axe";
import { appDb, createUser, expect, serverLog, signIn, simOtp, simTerminal, submitPairForm, test, type TestUser } from "./fixtures";
import { pairByAction } from "./payments";

type Row = Record<string, unknown>;
const one = (sql: string, ...args: unknown[]) => appDb().prepare(sql).get(...args) as Row | undefined;

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const PAGES = ["/", "/terminals", "/terminals/pair", "/attempts", "/audit", "/users"];

/**
 * Pairs a fresh simulated terminal (through the form when the test is about what the form leads
 * to, else by the pairing action alone); the page is left on the terminal page.
 */
async function pairFresh(page: Page, name: string, { throughForm = false } = {}) {
  let terminalId: string;
  if (throughForm) {
    terminalId = await simTerminal(page.request);
    await submitPairForm(page, { name, otp: await simOtp(page.request, terminalId) });
    await expect(page.getByTestId("paired-notice")).toBeVisible();
  } else {
    ({ terminalId } = await pairByAction(page, name));
  }
  const terminalRef = Number(new URL(page.url()).pathname.split("/").pop());
  const pairing = one("select id, client_id, pay_connect_id, webhook_url from pairings where terminal_ref = ?", terminalRef)!;
  return { terminalId, terminalRef, pairingId: Number(pairing.id), pairing };
}

async function noSidewaysScroll(page: Page, label: string) {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
    // What sticks out, for the failure message.
    culprits: Array.from(document.querySelectorAll("body *"))
      .filter((el) => {
        if (el.getBoundingClientRect().right <= window.innerWidth + 1) return false;
        const positioned = getComputedStyle(el).position === "absolute";
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          if (!positioned && getComputedStyle(p).overflowX !== "visible") return false;
        }
        return true;
      })
      .slice(-5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} "${(el.textContent ?? "").slice(0, 30)}"`),
  }));
  expect(scrollWidth, `${label} scrolls sideways; sticking out: ${culprits.join(" | ")}`).toBeLessThanOrEqual(innerWidth);
}

async function inViewport(page: Page, name: string) {
  const button = page.getByRole("button", { name, exact: true });
  await expect(button).toBeVisible();
  await expect(button).toBeInViewport();
}

/** Clicks a copy button; its live region (announced, and visible) says "Copied". */
async function copyAndCheck(button: Locator) {
  await button.click();
  const status = button.locator("xpath=following-sibling::*[@aria-live]");
  await expect(status).toHaveText("Copied");
  await expect(status).toBeVisible();
}

let admin: TestUser;
test.beforeAll(async () => {
  admin = await createUser("admin", "Shell Admin");
});

test.describe("at 390 px", () => {
  test.use({ viewport: PHONE });

  test("the sidebar is a drawer: it opens, traps focus, closes on Esc and on navigation; sign out stays in view; nothing scrolls sideways", async ({ page }) => {
    await signIn(page, admin);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await inViewport(page, "Sign out");

    const menu = page.getByRole("button", { name: "Menu" });
    await menu.click();
    const drawer = page.getByRole("dialog", { name: "Pairdesk" });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expectNoSeriousViolationsInSchemes(page, "menu drawer at 390 px", ["dark"]);
    // Focus stays inside the drawer however far one tabs.
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press("Tab");
      expect(await drawer.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(menu).toBeFocused();

    await menu.click();
    await drawer.getByRole("link", { name: "Pairing attempts" }).click();
    await expect(page).toHaveURL(/\/attempts$/);
    await expect(page.getByRole("heading", { level: 1, name: "Pairing attempts" })).toBeVisible();
    await expect(drawer).toBeHidden();

    for (const path of PAGES) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await noSidewaysScroll(page, path);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await inViewport(page, "Sign out");
    }

    const { terminalRef } = await pairFresh(page, "Phone till");
    await noSidewaysScroll(page, "terminal page");
    await page.getByRole("button", { name: "Reveal credentials" }).click();
    await page.getByRole("dialog").getByLabel("Your password").fill(admin.password);
    await page.getByRole("dialog").getByRole("button", { name: "Reveal" }).click();
    await expect(page.getByTestId("revealed-client_secret")).toBeVisible();
    await noSidewaysScroll(page, "reveal dialog");
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(new RegExp(`/terminals/${terminalRef}$`));
  });

  test("sign out from the top bar", async ({ page }) => {
    const user = await createUser("viewer");
    await signIn(page, user);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe("at 1280 px", () => {
  test.use({ viewport: DESKTOP });

  test("the sidebar is always there, with sign out in view; no menu button; nothing scrolls sideways", async ({ page }) => {
    await signIn(page, admin);
    await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
    for (const path of PAGES) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect(nav).toBeVisible();
      await noSidewaysScroll(page, path);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await inViewport(page, "Sign out");
    }
  });

  test("the skip link is the first stop and moves focus to the page; / focuses the page's search", async ({ page }) => {
    await signIn(page, admin);
    await page.goto("/terminals");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.locator("main#main")).toBeFocused();

    const search = page.locator("main input[type=search]").first();
    await expect(search).not.toBeFocused();
    await page.keyboard.press("/");
    await expect(search).toBeFocused();
    await expect(search).toHaveValue(""); // the slash was not typed into it
    // While typing in a field, / is just a character.
    await page.keyboard.type("a/b");
    await expect(search).toHaveValue("a/b");
  });
});

test.describe("dark mode", () => {
  test("follows the system, the toggle overrides it, the choice survives a reload and is set before any script of the app runs", async ({ page }) => {
    const cspErrors: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to execute/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.emulateMedia({ colorScheme: "dark" });
    await signIn(page, admin);
    const html = page.locator("html");
    await expect(html).toHaveClass(/\bdark\b/);
    const darkBg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

    await page.emulateMedia({ colorScheme: "light" });
    await expect(html).not.toHaveClass(/\bdark\b/);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).not.toBe(darkBg);

    // The toggle wins over the system.
    await page.getByRole("button", { name: "Dark theme" }).click();
    await expect(html).toHaveClass(/\bdark\b/);
    await expect(page.getByRole("button", { name: "Dark theme" })).toHaveAttribute("aria-pressed", "true");

    // Reload with the app's JavaScript blocked: only the inline theme script (with the CSP
    // nonce) can have set the class, so it is set before the first paint, without a flash.
    await page.route("**/_next/static/chunks/**", (route) => route.abort());
    await page.reload();
    await expect(html).toHaveClass(/\bdark\b/);
    await page.unroute("**/_next/static/chunks/**");
    await page.reload();
    await expect(html).toHaveClass(/\bdark\b/);
    await expect(page.getByRole("button", { name: "Dark theme" })).toHaveAttribute("aria-pressed", "true");

    await page.getByRole("button", { name: "System theme" }).click();
    await expect(html).not.toHaveClass(/\bdark\b/);
    expect(cspErrors).toEqual([]);
  });
});

test.describe("copy buttons", () => {
  test.use({ permissions: ["clipboard-read", "clipboard-write"] });

  test("copy the terminal's ids and URL, and a revealed secret: “Copied”, and the clipboard holds the value", async ({ page }) => {
    await signIn(page, admin);
    const { terminalId, pairingId, pairing } = await pairFresh(page, "Copy till");
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

    const cases: [string, string][] = [
      ["Copy terminal id", terminalId],
      ["Copy Pairing id", String(pairingId)],
      ["Copy pay_connect_id", String(pairing.pay_connect_id)],
      ["Copy client_id", String(pairing.client_id)],
      ["Copy Webhook URL", String(pairing.webhook_url)],
    ];
    for (const [name, value] of cases) {
      await copyAndCheck(page.getByRole("button", { name, exact: true }));
      expect(await clipboard()).toBe(value);
    }

    await page.getByRole("button", { name: "Reveal credentials" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Your password").fill(admin.password);
    await dialog.getByRole("button", { name: "Reveal" }).click();
    for (const label of ["client_id", "client_secret", "webhook_secret_key"]) {
      const value = (await dialog.getByTestId(`revealed-${label}`).innerText()).trim();
      await copyAndCheck(dialog.getByRole("button", { name: `Copy ${label}`, exact: true }));
      expect(await clipboard()).toBe(value);
    }
    await expectNoSeriousViolationsInSchemes(page, "reveal dialog, credentials shown");
    // What the dialog says is true: another reveal needs the password again.
    await expect(dialog).not.toContainText("Shown once");
    await expect(dialog).toContainText("each later reveal asks for your password again");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Reveal credentials" }).click();
    await expect(page.getByRole("dialog").getByLabel("Your password")).toBeVisible();
    await expect(page.getByTestId("revealed-credentials")).toHaveCount(0);
    await expectNoSeriousViolations(page, "reveal dialog, asking for the password");
  });

  test("without the Clipboard API (plain http on a LAN address) the copy still works", async ({ page }) => {
    await signIn(page, admin);
    const { terminalId } = await pairFresh(page, "Fallback till");
    await page.evaluate(() => navigator.clipboard.writeText("before"));
    // Hide the API from the page, as a non-secure origin does.
    await page.evaluate(() => Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined, configurable: true }));
    expect(await page.evaluate(() => typeof navigator.clipboard)).toBe("undefined");
    await copyAndCheck(page.getByRole("button", { name: "Copy terminal id", exact: true }));
    const reader = await page.context().newPage();
    await reader.goto("/login");
    expect(await reader.evaluate(() => navigator.clipboard.readText())).toBe(terminalId);
    await reader.close();
  });
});

test.describe("the paired notice", () => {
  test("shows once: the address drops ?paired=, a reload and an unpair do not bring it back", async ({ page }) => {
    await signIn(page, admin);
    const { terminalRef, pairingId } = await pairFresh(page, "Notice till", { throughForm: true });
    await expect(page).toHaveURL(new RegExp(`/terminals/${terminalRef}$`));
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: /^Terminal / })).toBeVisible();
    await expect(page.getByTestId("paired-notice")).toHaveCount(0);

    // A bookmarked ?paired= link shows it once more while the pairing is active…
    await page.goto(`/terminals/${terminalRef}?paired=${pairingId}`);
    await expect(page.getByTestId("paired-notice")).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/terminals/${terminalRef}$`));
    // …and the unpair that follows does not leave it standing.
    await page.getByRole("button", { name: "Unpair", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Unpair terminal" }).click();
    await expect(page.getByText("Unpaired", { exact: false }).first()).toBeVisible();
    await expect(page.getByTestId(`pairing-${pairingId}`)).toContainText("unpaired");
    await expect(page.getByTestId("paired-notice")).toHaveCount(0);
    expect(one("select status from pairings where id = ?", pairingId)).toEqual({ status: "unpaired" });

    // Never for a pairing that is no longer active.
    await page.goto(`/terminals/${terminalRef}?paired=${pairingId}`);
    await expect(page.getByTestId(`pairing-${pairingId}`)).toBeVisible();
    await expect(page.getByTestId("paired-notice")).toHaveCount(0);
  });
});

test.describe("the simulator", () => {
  test("a start with the simulator on says so in the log and on every page, the login page included", async ({ page }) => {
    const line = serverLog()
      .split("\n")
      .find((l) => l.includes("SIMULATOR ON"));
    expect(line, "no SIMULATOR ON line in the server log").toBeDefined();
    expect(JSON.parse(line!).level).toBe(40); // pino's warn

    await page.goto("/login");
    await expect(page.getByTestId("simulator-banner")).toContainText("Simulator on");
    await signIn(page, admin);
    for (const path of ["/", "/terminals", "/users", "/simulator"]) {
      await page.goto(path);
      await expect(page.getByTestId("simulator-banner")).toBeVisible();
    }
  });
});

test.describe("screenshots", () => {
  // For looking at the shell by eye: SHELL_SCREENSHOTS=1 writes them to test-results/shell/.
  test.skip(!process.env.SHELL_SCREENSHOTS, "set SHELL_SCREENSHOTS=1 to take them");

  test("every changed page at 390 and 1280 px, light and dark", async ({ page, browser }) => {
    test.setTimeout(180_000);
    for (const colorScheme of ["light", "dark"] as const) {
      for (const [w, viewport] of [["390", PHONE], ["1280", DESKTOP]] as const) {
        const ctx = await browser.newContext({ viewport, colorScheme });
        const signedOut = await ctx.newPage();
        await signedOut.goto("/login");
        await signedOut.screenshot({ path: `test-results/shell/login-${w}-${colorScheme}.png`, fullPage: true });
        await ctx.close();
      }
    }
    await signIn(page, admin);
    const { terminalRef } = await pairFresh(page, "Screenshot till");
    const shots: [string, string][] = [
      ["dashboard", "/"],
      ["terminals", "/terminals"],
      ["terminal", `/terminals/${terminalRef}`],
      ["users", "/users"],
    ];
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [w, viewport] of [["390", PHONE], ["1280", DESKTOP]] as const) {
        await page.setViewportSize(viewport);
        for (const [name, path] of shots) {
          await page.goto(path);
          await page.waitForLoadState("networkidle");
          await page.screenshot({ path: `test-results/shell/${name}-${w}-${scheme}.png`, fullPage: true });
        }
        await page.goto(`/terminals/${terminalRef}`);
        await page.getByRole("button", { name: "Reveal credentials" }).click();
        await page.getByRole("dialog").getByLabel("Your password").fill(admin.password);
        await page.getByRole("dialog").getByRole("button", { name: "Reveal" }).click();
        await page.getByRole("dialog").getByRole("button", { name: "Copy client_secret" }).click();
        await page.screenshot({ path: `test-results/shell/reveal-${w}-${scheme}.png` });
        await page.keyboard.press("Escape");
        await page.getByRole("button", { name: "Unpair", exact: true }).click();
        await page.screenshot({ path: `test-results/shell/unpair-${w}-${scheme}.png` });
        await page.keyboard.press("Escape");
        if (w === "390") {
          await page.getByRole("button", { name: "Menu" }).click();
          await page.screenshot({ path: `test-results/shell/drawer-${w}-${scheme}.png` });
          await page.keyboard.press("Escape");
        }
      }
    }
  });
});
