/**
 * The pairing form itself: the OTP field sends what it shows, how long a pair call may take,
 * the outcome-unknown advice, the webhook URL that is really used, and an environment that is
 * not configured.
 */
import type { Page, Request } from "@playwright/test";
import { callAction } from "./actions";
import { expectNoSeriousViolationsInSchemes } from "./axe";
import { appDb, createUser, expect, signIn, simFault, simOtp, simTerminal, test } from "./fixtures";
import { defaultMerchantId, E2E_MERCHANT } from "./seed";

type Row = Record<string, unknown>;
const one = (sql: string, ...args: unknown[]) => appDb().prepare(sql).get(...args) as Row | undefined;

/** The otp field of the next server-action POST, as the browser sent it. */
function sentOtp(page: Page): Promise<string | null> {
  return page
    .waitForRequest((r: Request) => r.method() === "POST" && Boolean(r.headers()["next-action"]))
    .then((r) => {
      const body = r.postData() ?? "";
      const m = /name="[^"]*otp"\r\n\r\n([^\r]*)\r\n/.exec(body);
      return m ? m[1]! : null;
    });
}

/** Opens the pairing form as staff, with the shared "E2E merchant" chosen (staff must choose one). */
async function openPairForm(page: Page) {
  await defaultMerchantId();
  await page.goto("/terminals/pair");
  await page.getByLabel("Merchant", { exact: true }).selectOption({ label: E2E_MERCHANT });
}

test("the OTP field shows exactly what is sent: its case kept, spaces left out; a rejection says mistyped or used", async ({ page }) => {
  const support = await createUser("support");
  await signIn(page, support);
  await openPairForm(page);
  const otpField = page.getByLabel("OTP");

  await otpField.fill(" 464a 3qhd ");
  await expect(otpField).toHaveValue("464a3qhd");
  // Not shown in capitals while holding small letters.
  expect(await otpField.evaluate((el) => getComputedStyle(el).textTransform)).toBe("none");

  await page.getByLabel("Name").fill("Typed small");
  const sent = sentOtp(page);
  await page.getByRole("button", { name: "Pair terminal" }).click();
  expect(await sent).toBe("464a3qhd");

  // No simulated terminal shows this code: rejected, with advice for a typo as well as a used code.
  const error = page.getByTestId("pair-error");
  await expect(error).toContainText("it may be mistyped, or already used or expired");
  await expect(page.getByText("Check it against the terminal's screen: it may be mistyped")).toBeVisible();
  await expect(otpField).toHaveAttribute("aria-invalid", "true");
  // Kept, so it can be compared with the terminal's screen.
  await expect(otpField).toHaveValue("464a3qhd");
  expect(one("select status, error_code from pairing_attempts where name = 'Typed small' and created_by_id = ?", support.id)).toEqual({
    status: "failed",
    error_code: "otp_rejected",
  });
});

test("an OTP typed in groups pairs as one code", async ({ page }) => {
  const support = await createUser("support");
  await signIn(page, support);
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await openPairForm(page);
  await page.getByLabel("Name").fill("Grouped");
  await page.getByLabel("OTP").pressSequentially(`${otp.slice(0, 4)} ${otp.slice(4)}`);
  await expect(page.getByLabel("OTP")).toHaveValue(otp);
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  expect(one("select count(*) n from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ?", terminalId)).toEqual({ n: 1 });
});

test("while pairing the form says how long it may take; a timeout gives advice for both answers and keeps the OTP", async ({ page }) => {
  const support = await createUser("support");
  await signIn(page, support);
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  // The E2E server's pair timeout is 2.5 s (PAY_CONNECT_PAIR_TIMEOUT_MS in e2e/serve.mjs).
  await simFault(page.request, "pair_slow", { terminalId, delayMs: 4_000 });

  await openPairForm(page);
  await page.getByLabel("Name").fill("Slow form");
  await page.getByLabel("OTP").fill(otp);
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByTestId("pair-pending")).toContainText("Waiting for Pay-Connect's answer: this can take up to 2.5 seconds.");
  await expect(page.getByRole("button", { name: "Pairing…" })).toBeDisabled();

  const error = page.getByTestId("pair-error");
  await expect(error).toContainText("Outcome unknown");
  await expect(error).toContainText("within 2.5 seconds");
  await expect(error).toContainText("If it shows it is paired, its credentials did not reach Pairdesk");
  await expect(error).toContainText("unpair it on the terminal");
  await expect(error).toContainText("If it shows it is not paired, pair again: with the same OTP");
  await expect(page.getByTestId("pair-pending")).toHaveCount(0);
  await expect(page.getByLabel("OTP")).toHaveValue(otp);
  expect(one("select status, error_code from pairing_attempts where name = 'Slow form' and created_by_id = ?", support.id)).toEqual({
    status: "outcome_unknown",
    error_code: "timeout",
  });

  // The advice can be followed: the terminal (the simulator's screen) shows the pairing that
  // Pairdesk never saw once the slow answer lands, and is unpaired there, ready to pair again.
  await page.goto(`/simulator?terminal=${terminalId}`);
  const status = page.getByTestId("sim-pairing-status");
  await expect(status).toContainText("Paired", { timeout: 15_000 });
  await status.getByRole("button", { name: "Unpair on this terminal" }).click();
  await expect(status).toContainText("Not paired");
});

test("the webhook URL shown under Advanced is the one used; another URL can be given there", async ({ page, baseURL }) => {
  const support = await createUser("support");
  await signIn(page, support);

  // Default: this app's endpoint, with a token the server makes when it pairs.
  const first = await simTerminal(page.request);
  await openPairForm(page);
  const shown = page.getByTestId("webhook-default");
  await expect(shown).toBeHidden();
  await page.getByText("Advanced").click();
  await expect(shown).toHaveText(`${baseURL}/api/webhooks/pay-connect/‹a new secret token›`);
  // No token is handed to the browser before pairing.
  await expect(page.locator('input[name="webhookUrl"]')).toHaveValue("");
  await page.getByLabel("Name").fill("Default hook");
  await page.getByLabel("OTP").fill(await simOtp(page.request, first));
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  const byDefault = one(
    "select p.webhook_url, p.webhook_token from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ?",
    first,
  )!;
  expect(byDefault.webhook_token).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expect(byDefault.webhook_url).toBe(`${baseURL}/api/webhooks/pay-connect/${byDefault.webhook_token}`);

  // Another URL, given under Advanced, is used as given.
  const second = await simTerminal(page.request);
  await openPairForm(page);
  await page.getByText("Advanced").click();
  await page.getByLabel("Another webhook URL").fill("https://pos.example.com/hooks/pay");
  await page.getByLabel("Name").fill("Own hook");
  await page.getByLabel("OTP").fill(await simOtp(page.request, second));
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  expect(
    one("select p.webhook_url, p.webhook_token from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ?", second),
  ).toEqual({ webhook_url: "https://pos.example.com/hooks/pay", webhook_token: null });
});

const PRODUCTION_REASON =
  "No Pay-Connect integrator id is configured for production: an admin sets PAY_CONNECT_PRODUCTION_INTEGRATOR_ID (or PAY_CONNECT_INTEGRATOR_ID for both environments) and restarts Pairdesk.";

test("production without an integrator id is shown disabled with the reason, and the server refuses it recording nothing", async ({ page }) => {
  const support = await createUser("support");
  await signIn(page, support);
  await openPairForm(page);
  const environment = page.getByLabel("Environment");
  await expect(environment).toHaveValue("sandbox");
  await expect(environment.locator('option[value="production"]')).toBeDisabled();
  // Support is told whom to ask; the setting to change is for admins.
  await expect(page.getByTestId("environment-unavailable")).toHaveText("Production cannot be chosen. It is not set up on this Pairdesk yet: ask an admin.");

  // A client that sends it anyway gets the same reason; no attempt is recorded, nothing paired.
  const name = `Prod ${crypto.randomUUID()}`;
  const reply = await callAction(page, "/terminals/pair", "pairTerminalAction", {
    requestKey: crypto.randomUUID(),
    name,
    otp: "ABCD2345",
    environment: "production",
    webhookUrl: "",
    merchantId: String(await defaultMerchantId()),
  });
  expect(reply.redirect).toBeNull();
  expect(reply.text).toContain(PRODUCTION_REASON);
  expect(reply.text).toContain('"code":"not_configured"');
  expect(one("select count(*) n from pairing_attempts where name = ?", name)).toEqual({ n: 0 });
});

test("an admin is shown which setting makes production available; the form with its errors passes the axe scan", async ({ page, asRole }) => {
  await asRole("admin");
  await openPairForm(page);
  await expect(page.getByTestId("environment-unavailable")).toHaveText(`Production cannot be chosen. ${PRODUCTION_REASON}`);
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByText("Enter a name for this pairing.")).toBeVisible();
  await expectNoSeriousViolationsInSchemes(page, "pair form with errors");
});
