/**
 * The terminal side of registers (issue 7): a terminal's page lists the registers routed to it;
 * "Pair again" warns, then replaces the terminal's pairing (the old one `replaced`, its secrets
 * gone, no unpair call; the registers go on through the new one); an OTP from another terminal
 * is kept and flagged; unpairing says how many registers it unroutes. Real browser, real
 * simulator, the database checked after each step.
 */
import type { Page } from "@playwright/test";
import { callAction } from "./actions";
import { expectNoSeriousViolations } from "./axe";
import { appDb, expect, sessionUser, simOtp, simCalls, simPairings, simTerminal, submitPairForm, test } from "./fixtures";
import { auditRows, pairingById, pairingsOfTerminal, secretFields, seedMerchant, seedPairing, seedTerminal, uniqueTag } from "./seed";
import { registerRoute, seedLocation, seedRegister } from "./seed-terminal-registers";

async function pairFresh(page: Page, name: string) {
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await submitPairForm(page, { name, otp });
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  const terminalRef = Number(new URL(page.url()).pathname.split("/").pop());
  const pairing = (await pairingsOfTerminal(terminalId)).find((p) => p.name === name)!;
  expect(pairing.terminalRef).toBe(terminalRef);
  return { terminalId, terminalRef, pairingId: pairing.id };
}

/** A location with a physical register and its virtual register, both routed to the terminal. */
async function routeTwoRegisters(terminalRef: number, tag: string) {
  const location = await seedLocation(`Shop ${tag}`);
  const front = await seedRegister({ locationId: location.id, name: `Front ${tag}`, terminalRef });
  const lane = await seedRegister({ locationId: location.id, name: `Lane ${tag}`, parentId: front.id, terminalRef });
  return { location, front, lane };
}

/** Full-page screenshots at 1280 and 375 px (looked at by hand), and no sideways scroll at either. */
async function shoot(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/pair-again/${name}-${width}.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name}: no sideways scroll at ${width} px`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const replacedByOf = (pairingId: number) =>
  (appDb().prepare("select replaced_by_id as replacedById from pairings where id = ?").get(pairingId) as { replacedById: number | null })
    .replacedById;

test("pair again from the terminal's page: warned first, the old pairing replaced, the registers go on through the new one", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const first = `Till ${tag}`;
  const { terminalId, terminalRef, pairingId: oldId } = await pairFresh(page, first);
  const { location, front, lane } = await routeTwoRegisters(terminalRef, tag);

  // The terminal's page lists both registers, each a link to its page.
  await page.goto(`/terminals/${terminalRef}`);
  const registers = page.getByTestId("terminal-registers");
  await expect(page.getByTestId("terminal-register-row")).toHaveCount(2);
  await expect(registers.getByRole("link", { name: front.name })).toHaveAttribute("href", `/registers/${front.id}`);
  await expect(registers.getByRole("link", { name: lane.name })).toHaveAttribute("href", `/registers/${lane.id}`);
  await expect(page.getByTestId("terminal-register-row").filter({ hasText: lane.name })).toContainText(`virtual of ${front.name}`);
  await expect(page.getByTestId("terminal-register-row").filter({ hasText: lane.name })).toContainText(location.name);

  // Pair again: the warning first, the terminal's pairing name proposed.
  await page.getByRole("link", { name: "Pair again" }).click();
  await expect(page).toHaveURL(`/terminals/${terminalRef}/pair-again`);
  await expect(page.getByTestId("pair-again-warning")).toContainText(
    `Pay-Connect keeps one pairing per terminal: pairing ${terminalId} again replaces its current pairing “${first}”. ` +
      `Its credentials are destroyed; no unpair call is made; the 2 registers that route to ${terminalId} go on through the new pairing.`,
  );
  await expect(page.getByLabel("Name")).toHaveValue(first);
  await expect(page.getByText("Environment: sandbox (the terminal's)")).toBeVisible();
  await expectNoSeriousViolations(page, "pair again");
  await shoot(page, "pair-again-form");
  const second = `Till ${tag} again`;
  await page.getByLabel("Name").fill(second);
  await page.getByLabel("OTP").fill(await simOtp(page.request, terminalId));
  await page.getByRole("button", { name: "Pair again" }).click();

  // Back on the terminal's page, paired, nothing to check.
  await expect(page).toHaveURL(new RegExp(`/terminals/${terminalRef}(\\?|$)`));
  await expect(page.getByTestId("paired-notice")).toContainText(`“${second}” is paired`);
  await expect(page.getByTestId("pairing-warning")).toHaveCount(0);

  // The database: the old pairing replaced by the new one, its secrets gone; the new one active
  // with its secrets; both registers still route to the terminal.
  const pairings = await pairingsOfTerminal(terminalId);
  const fresh = pairings.find((p) => p.name === second)!;
  expect(fresh).toMatchObject({ status: "active" });
  expect(await pairingById(oldId)).toMatchObject({ status: "replaced" });
  expect(replacedByOf(oldId)).toBe(fresh.id);
  expect(await secretFields(oldId)).toEqual([]);
  expect(await secretFields(fresh.id)).toEqual(["client_secret", "webhook_secret_key"]);
  expect(registerRoute(front.id)).toBe(terminalRef);
  expect(registerRoute(lane.id)).toBe(terminalRef);
  expect(await auditRows({ action: "pairing.replace", targetId: oldId })).toHaveLength(1);
  // No unpair call was made: Pay-Connect's side ended the first pairing itself, as replaced (its
  // rule: one pairing per terminal and integration), never as unpaired.
  expect((await simPairings(page.request, terminalId)).map((p) => p.status).sort()).toEqual(["active", "replaced"]);
  expect((await simCalls(page.request, terminalId)).filter((c) => c.call === "unpair")).toEqual([]);

  // The page: the registers still listed; the old pairing says what replaced it, and offers no
  // credential control; the new one does.
  await page.reload();
  await expect(page.getByTestId("terminal-register-row")).toHaveCount(2);
  const old = page.getByTestId(`pairing-${oldId}`);
  await expect(old).toContainText("replaced");
  await expect(old.getByTestId("replaced-by")).toContainText(`Replaced by “${second}”`);
  await expect(old).toContainText("destroyed");
  await expect(old.getByRole("button", { name: /Reveal|Unpair/ })).toHaveCount(0);
  await expect(page.getByTestId(`pairing-${fresh.id}`).getByRole("button", { name: "Unpair" })).toBeVisible();
  await expect(page.getByTestId(`pairing-${fresh.id}`).getByRole("button", { name: "Reveal credentials" })).toBeVisible();
  await expectNoSeriousViolations(page, "terminal page with registers and a replaced pairing");
  await shoot(page, "terminal");

  // The audit log reads the replace entry: the pairing that replaced it, by name.
  await page.goto(`/audit?action=pairing.replace`);
  const entry = page.getByTestId("audit-row").filter({ hasText: `Pairing “${first}” on ${terminalId}` });
  await expect(entry).toContainText(new RegExp(`replaced by:\\s*“${second}” \\(pairing ${fresh.id},`));
  await expect(entry.getByRole("link", { name: `Pairing “${first}” on ${terminalId}` })).toHaveAttribute("href", `/terminals/${terminalRef}`);
});

test("an OTP from another terminal is kept and flagged: the landing page and the attempts list say so; the first terminal is untouched", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const meant = await pairFresh(page, `Meant ${tag}`);
  const { front } = await routeTwoRegisters(meant.terminalRef, tag);
  const otherTerminal = await simTerminal(page.request);

  await page.goto(`/terminals/${meant.terminalRef}/pair-again`);
  await expect(page.getByTestId("pair-again-warning")).toContainText(`pairing ${meant.terminalId} again replaces its current pairing`);
  const name = `Wrong one ${tag}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("OTP").fill(await simOtp(page.request, otherTerminal));
  await page.getByRole("button", { name: "Pair again" }).click();

  // Lands on the terminal actually paired, with the warning in plain view.
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  const other = await pairingsOfTerminal(otherTerminal);
  expect(other).toHaveLength(1);
  await expect(page).toHaveURL(new RegExp(`/terminals/${other[0]!.terminalRef}(\\?|$)`));
  const warning = page.getByTestId("pairing-warning");
  await expect(warning).toContainText(`This OTP came from terminal ${otherTerminal}, not from ${meant.terminalId}.`);
  await expect(warning).toContainText(`${meant.terminalId} was not changed`);
  await expectNoSeriousViolations(page, "landing page with a pairing warning");
  await shoot(page, "pairing-warning");

  // Kept: the new pairing is active with its secrets; the meant terminal untouched.
  expect(other[0]).toMatchObject({ status: "active", name });
  expect(await secretFields(other[0]!.id)).toEqual(["client_secret", "webhook_secret_key"]);
  expect(await pairingById(meant.pairingId)).toMatchObject({ status: "active" });
  expect(replacedByOf(meant.pairingId)).toBeNull();
  expect(await secretFields(meant.pairingId)).toEqual(["client_secret", "webhook_secret_key"]);
  expect(registerRoute(front.id)).toBe(meant.terminalRef);
  const attempt = appDb()
    .prepare("select status, warning, intended_terminal_ref as intended from pairing_attempts where pairing_id = ?")
    .get(other[0]!.id) as { status: string; warning: string | null; intended: number };
  expect(attempt).toMatchObject({ status: "succeeded", intended: meant.terminalRef });
  expect(attempt.warning).toContain(otherTerminal);

  // The warning asks for this terminal's name (the one typed was meant for the other terminal).
  const nameField = warning.getByLabel(`Name for terminal ${otherTerminal}`);
  await expect(nameField).toHaveValue(name);
  await nameField.fill("   ");
  await warning.getByRole("button", { name: "Save name" }).click();
  await expect(warning.getByText("Enter a name for this pairing.")).toBeVisible();
  expect(await pairingById(other[0]!.id)).toMatchObject({ name });
  const rightName = `Right one ${tag}`;
  await nameField.fill(rightName);
  await warning.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText(`Renamed to “${rightName}” in Pairdesk.`)).toBeVisible();
  await expect(page.getByTestId(`pairing-${other[0]!.id}`).getByRole("heading", { name: rightName })).toBeVisible();
  expect(await pairingById(other[0]!.id)).toMatchObject({ name: rightName, status: "active" });
  expect(await pairingById(meant.pairingId)).toMatchObject({ name: `Meant ${tag}` });
  const renamed = await auditRows({ action: "pairing.rename", targetId: other[0]!.id });
  expect(renamed).toHaveLength(1);
  expect(JSON.parse(renamed[0]!.details!)).toMatchObject({ from: name, to: rightName, terminalId: otherTerminal });

  // Still said on the terminal's page after a reload (the one-off notice is gone), but no longer
  // that it took the other terminal's name: it has its own now.
  await page.reload();
  await expect(page.getByTestId("paired-notice")).toHaveCount(0);
  const check = page.getByTestId(`pairing-${other[0]!.id}`).getByTestId("pairing-check");
  await expect(check).toContainText(`This OTP came from terminal ${otherTerminal}`);
  await expect(check).toContainText(`If this was a mistake, unpair ${otherTerminal}.`);
  await expect(check).not.toContainText("It took the name typed for");

  // The attempts list: a "check" badge and the text on its row.
  await page.goto(`/attempts?q=${encodeURIComponent(name)}`);
  const row = page.getByTestId("attempt-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("attempt-check")).toHaveText("check");
  await expect(row.getByTestId("attempt-warning")).toContainText(`not from ${meant.terminalId}`);
  // And its CSV export carries the warning in its own column.
  const csv = await (await page.request.get(`/api/attempts/export?q=${encodeURIComponent(name)}`)).text();
  const [header, first] = csv.trim().split("\r\n");
  expect(header!.split(",").at(-1)).toBe("warning");
  expect(first).toContain(`not from ${meant.terminalId}`);
});

test("unpairing a terminal that 2 registers route to says so first; both end unrouted, audited", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const { terminalId, terminalRef, pairingId } = await pairFresh(page, `Unpair ${tag}`);
  const { location, front, lane } = await routeTwoRegisters(terminalRef, tag);

  await page.goto(`/terminals/${terminalRef}`);
  await page.getByRole("button", { name: "Unpair" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("unpair-registers-warning")).toHaveText(
    `2 registers send their payments to ${terminalId}: they will be unrouted (shown as such) until routed to another terminal.`,
  );
  await expectNoSeriousViolations(page, "unpair dialog with registers");
  await page.screenshot({ path: "test-results/pair-again/unpair-dialog-1280.png" });
  await dialog.getByRole("button", { name: "Unpair terminal" }).click();
  await expect(page.getByText(/The terminal was unpaired/)).toBeVisible();
  await expect(page.getByTestId("no-registers")).toBeVisible();

  // The database: both registers unrouted, the pairing ended, each change audited.
  expect(registerRoute(front.id)).toBeNull();
  expect(registerRoute(lane.id)).toBeNull();
  expect(await pairingById(pairingId)).toMatchObject({ status: "unpaired" });
  const unpaired = await auditRows({ action: "pairing.unpair", targetId: pairingId });
  expect(unpaired).toHaveLength(1);
  expect(JSON.parse(String(unpaired[0]!.details))).toMatchObject({ registersUnrouted: 2 });
  expect(await auditRows({ action: "register.unroute", targetType: "register", targetId: front.id })).toHaveLength(1);
  expect(await auditRows({ action: "register.unroute", targetType: "register", targetId: lane.id })).toHaveLength(1);

  // Unpaired, it is still offered Pair again, which says it makes a new pairing.
  await page.getByRole("link", { name: "Pair again" }).click();
  await expect(page.getByTestId("pair-again-warning")).toContainText(
    `Terminal ${terminalId} is not paired now: pairing it again makes a new pairing with a new OTP from the terminal`,
  );
  await expect(page.getByLabel("Name")).toHaveValue(`Unpair ${tag}`);

  // The audit log names the registers and links to them.
  await page.goto(`/audit?action=register.unroute`);
  const link = page.getByRole("link", { name: `Virtual register “${lane.name}” at ${location.name}` });
  await expect(link).toHaveAttribute("href", `/registers/${lane.id}`);
  await expect(page.getByRole("link", { name: `Register “${front.name}” at ${location.name}` })).toHaveAttribute("href", `/registers/${front.id}`);
});

test("a viewer sees the terminal's registers but no Pair again, and the pair-again page refuses", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const { terminalRef, pairingId } = await pairFresh(page, `Viewer ${tag}`);
  const { front } = await routeTwoRegisters(terminalRef, tag);
  await asRole("viewer");
  await page.goto(`/terminals/${terminalRef}`);
  await expect(page.getByTestId("terminal-registers").getByRole("link", { name: front.name })).toBeVisible();
  await expect(page.getByRole("link", { name: "Pair again" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Unpair" })).toHaveCount(0);
  await expectNoSeriousViolations(page, "terminal page as a viewer");
  await page.goto(`/terminals/${terminalRef}/pair-again`);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expect(page.getByLabel("OTP")).toHaveCount(0);
  // No Rename either; called anyway, the refusal names renaming, and nothing changes.
  await page.goto(`/terminals/${terminalRef}`);
  await expect(page.getByRole("button", { name: "Rename" })).toHaveCount(0);
  const r = await callAction(page, `/terminals/${terminalRef}`, "renamePairingAction", { pairingId: String(pairingId), name: `Viewer's ${tag}` });
  expect(r.text).toContain("Your role (viewer) cannot rename pairings.");
  expect(await pairingById(pairingId)).toMatchObject({ name: `Viewer ${tag}` });
});

test("a suspended merchant's terminal offers no Rename, Pair again, Charge or Refresh (each would be refused) and says why; reactivated, it does", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const merchant = await seedMerchant(`Suspended ${tag}`, "suspended");
  const terminal = await seedTerminal({ merchantId: merchant.id });
  const pairing = await seedPairing({ terminalRef: terminal.id, name: `Paused ${tag}`, createdById: sessionUser("admin").id });
  await page.goto(`/terminals/${terminal.id}`);
  const card = page.getByTestId(`pairing-${pairing.id}`);
  await expect(card.getByRole("heading", { name: `Paused ${tag}` })).toBeVisible();
  await expect(card.getByRole("button", { name: "Rename" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Pair again" })).toHaveCount(0);
  await expect(page.getByTestId("charge-button")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Refresh configuration" })).toHaveCount(0);
  await expect(page.getByTestId("charge-unavailable")).toHaveText("This terminal's merchant is suspended: no payment can be sent. Reactivate it on the Merchants page first.");
  appDb().prepare("update merchants set status = 'active' where id = ?").run(merchant.id);
  await page.reload();
  await expect(card.getByRole("button", { name: "Rename" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Pair again" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Refresh configuration" })).toBeVisible();
});
