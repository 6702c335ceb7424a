/**
 * A terminal unpaired on its own screen (the simulator's "Unpair on this terminal"): the next
 * call with its credentials is refused by Pay-Connect, and Pairdesk says so on the terminal's
 * page (with the fix, and no Charge), in the terminals list (a filter) and on the dashboard;
 * the pairing is marked and audited (issue 16, item 9).
 */
import { expectNoSeriousViolationsInSchemes } from "./axe";
import { appDb, expect, test } from "./fixtures";
import { pairFresh } from "./payments";
import { uniqueTag } from "./seed";

test("a device-side unpair is noticed at the next call: credentials refused, shown with the fix, no Charge offered", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const { terminalId, terminalRef, pairingId } = await pairFresh(page, tag);
  await expect(page.getByTestId("charge-button")).toBeVisible();

  // On the terminal: unpair.
  await page.goto(`/simulator?terminal=${terminalId}`);
  const status = page.getByTestId("sim-pairing-status");
  await expect(status).toContainText("Paired");
  await status.getByRole("button", { name: "Unpair on this terminal" }).click();
  await expect(status).toContainText("Not paired");

  // Pairdesk learns it at its next call with those credentials.
  await page.goto(`/terminals/${terminalRef}`);
  await page.getByRole("button", { name: "Refresh configuration" }).click();
  const notice = page.getByTestId("credentials-refused");
  await expect(notice).toContainText("Pay-Connect refuses this pairing's credentials");
  await expect(notice).toContainText("Generate a new OTP on the terminal and pair it again");
  await expect(page.getByTestId("charge-button")).toHaveCount(0);
  await expect(page.getByTestId("terminal-payments")).toContainText("Pay-Connect refuses this pairing's credentials, so no payment can be sent.");
  await expect(page.locator('[data-status="credentials_refused"]').first()).toHaveText("credentials refused");
  expect(appDb().prepare("select status, credentials_refused_at is not null refused from pairings where id = ?").get(pairingId)).toEqual({ status: "active", refused: 1 });
  expect(appDb().prepare("select count(*) n from audit_log where action = 'pairing.credentials_refused' and target_id = ?").get(String(pairingId))).toEqual({ n: 1 });

  // The terminals list: a filter, and the state in the row.
  await page.goto(`/terminals?status=credentials_refused&q=${terminalId}`);
  const row = page.getByTestId("terminal-row").filter({ hasText: terminalId });
  await expect(row).toHaveCount(1);
  await expect(row.locator('[data-status="credentials_refused"]')).toBeVisible();

  // The dashboard lists it with the fix.
  await page.goto("/");
  const card = page.getByTestId("credentials-refused");
  await expect(card.getByRole("link", { name: terminalId })).toHaveAttribute("href", `/terminals/${terminalRef}`);
  await expect(card).toContainText(`Till ${tag}`);
  await expectNoSeriousViolationsInSchemes(page, "dashboard with a terminal whose credentials are refused");
});
