/**
 * The Registers pages: the tree with its filters in the URL and its CSV export, and a register's
 * page — route it by picking a paired terminal, move it (the dialog's words), unroute it, pair a
 * new terminal for it (a failed pair call changes nothing), edit and archive it — for the roles
 * that may, read-only for viewers (a direct action call is refused), 404 for another merchant.
 */
import type { Browser, Page } from "@playwright/test";
import { callAction } from "./actions";
import { expectNoSeriousViolations } from "./axe";
import { appDb, createUser, expect, signIn, simFault, simOtp, simTerminal, test, type TestUser } from "./fixtures";
import { registerRoute, routeInDb, seedPairedTerminal, seedRegisterTree } from "./seed-registers";

type Row = Record<string, unknown>;
const one = (sql: string, ...args: unknown[]) => appDb().prepare(sql).get(...args) as Row | undefined;

async function signedInPage(browser: Browser, user: TestUser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split("\r\n")
    .map((line) => line.split(","));
}

const rowNames = (page: Page) => page.getByTestId("register-row").locator("a[href^='/registers/']").allInnerTexts();

test.describe("copying a register ID from a list", () => {
  test.use({ permissions: ["clipboard-read", "clipboard-write"] });

  test("the tree's and the location's copy buttons put the whole register ID on the clipboard and say so", async ({ page }) => {
    const admin = await createUser("admin");
    const tree = await seedRegisterTree();
    await signIn(page, admin);
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    for (const [where, url] of [
      ["tree", `/registers?location=${(tree.location).id}`],
      ["location", `/locations/${(tree.location).id}`],
    ] as const) {
      await page.goto(url);
      const button = page.getByRole("button", { name: "Copy register ID of Lane A", exact: true });
      await button.click();
      expect(await clipboard(), where).toBe((tree.laneA).registerId);
      // Beside the button, for two seconds; and once to screen readers.
      await expect(button).toHaveAttribute("data-copied", "yes");
      await expect(page.getByTestId("copy-id-status")).toHaveText("Copied register ID of Lane A");
      await expect(button).not.toHaveAttribute("data-copied", /.*/, { timeout: 10_000 });
      await page.getByRole("button", { name: "Copy register ID of Till 2", exact: true }).click();
      expect(await clipboard(), where).toBe((tree.till2).registerId);
    }
  });
});

test("the tree: virtual registers under their physical register, each with its route; filters live in the URL", async ({ page }) => {
  const admin = await createUser("admin");
  const tree = await seedRegisterTree();
  const t = await seedPairedTerminal((tree.merchant).id, admin.id);
  await routeInDb((tree.laneA).id, t.ref);
  await signIn(page, admin);

  await page.goto(`/registers?location=${(tree.location).id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Registers" })).toBeVisible();
  expect(await rowNames(page)).toEqual(["Till 1", "Lane A", "Lane B", "Till 2"]);
  // A tree for assistive technology: the location's list, then each register's list of virtual registers.
  const location = page.getByRole("list", { name: `Registers of ${(tree.location).name}` });
  const lanes = location.getByRole("list", { name: "Virtual registers of Till 1" });
  await expect(lanes.getByRole("link", { name: "Lane A" })).toBeVisible();
  await expect(lanes.getByRole("link", { name: "Lane B" })).toBeVisible();
  await expect(lanes.getByRole("link", { name: "Till 2" })).toHaveCount(0);
  await expect(page.locator(`[data-register="${(tree.laneA).id}"]`)).toHaveAttribute("data-level", "2");
  await expect(page.locator(`[data-register="${(tree.till1).id}"]`)).toHaveAttribute("data-level", "1");
  // Staff viewing every merchant see whose location it is.
  await expect(page.getByTestId("register-location").getByTestId("merchant-cell")).toHaveText((tree.merchant).name);

  const laneA = page.locator(`[data-register="${(tree.laneA).id}"]`);
  await expect(laneA.getByRole("link", { name: t.terminalId })).toHaveAttribute("href", `/terminals/${t.ref}`);
  await expect(laneA.getByTestId("register-route")).toContainText("sandbox");
  await expect(laneA.getByTestId("register-route")).toContainText(t.pairingName);
  await expect(laneA).toContainText((tree.laneA).registerId.slice(0, 8));
  await expect(page.locator(`[data-register="${(tree.till1).id}"]`).getByTestId("unrouted-badge")).toBeVisible();
  await expect(page.locator(`[data-register="${(tree.till1).id}"]`)).toContainText(`${(tree.merchant).name.replace(" merchant", "")}-T1`);

  // Filters: a select applies at once, into the URL.
  await page.getByLabel("Route").selectOption("unrouted");
  await expect(page).toHaveURL(/route=unrouted/);
  await expect.poll(() => rowNames(page)).toEqual(["Till 1", "Lane B", "Till 2"]);
  await expect(page.getByTestId("filter-chip").filter({ hasText: "Route: Unrouted" })).toBeVisible();
  await page.getByLabel("Search").fill("Lane");
  await expect(page).toHaveURL(/q=Lane/);
  await expect.poll(() => rowNames(page)).toEqual(["Lane B"]);

  // The URL alone gives the same list: a search by terminal ID, and the environment.
  await page.goto(`/registers?location=${(tree.location).id}&q=${t.terminalId}`);
  expect(await rowNames(page)).toEqual(["Lane A"]);
  await page.goto(`/registers?location=${(tree.location).id}&environment=production`);
  await expect(page.getByTestId("registers-empty")).toContainText("No registers match these filters.");
  await page.getByTestId("registers-empty").getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/registers$/);
});

test("CSV export: the tree's columns with the filters in force; staff get the merchant, a merchant's people do not", async ({ page, browser }) => {
  const admin = await createUser("admin");
  const tree = await seedRegisterTree();
  const t = await seedPairedTerminal((tree.merchant).id, admin.id, { name: "Front, left" });
  await routeInDb((tree.laneA).id, t.ref);
  await signIn(page, admin);
  await page.goto(`/registers?location=${(tree.location).id}&route=routed`);
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(href).toBe(`/api/registers/export?location=${(tree.location).id}&route=routed`);

  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  const text = await res.text();
  const lines = text.trim().split("\r\n");
  expect(lines[0]).toBe(
    "merchant,location,register,kind,parent_register,register_id,external_reference,routed_to_terminal,environment,pairing_name,pay_connect_id,routed_at",
  );
  expect(lines).toHaveLength(2);
  const payConnectId = one("select pay_connect_id from pairings where id = ?", t.pairingId)!.pay_connect_id as string;
  expect(lines[1]).toMatch(
    new RegExp(
      `^${(tree.merchant).name},${(tree.location).name},Lane A,virtual,Till 1,${(tree.laneA).registerId},,${t.terminalId},sandbox,"Front, left",${payConnectId},\\d{4}-\\d\\d-\\d\\dT`,
    ),
  );

  const all = parseCsv(await (await page.request.get(`/api/registers/export?location=${(tree.location).id}`)).text());
  expect(all.slice(1).map((r) => [r[2], r[3], r[4]])).toEqual([
    ["Till 1", "physical", ""],
    ["Lane A", "virtual", "Till 1"],
    ["Lane B", "virtual", "Till 1"],
    ["Till 2", "physical", ""],
  ]);

  const merchantAdmin = await createUser("merchant-admin", "", (tree.merchant).id);
  const theirs = await signedInPage(browser, merchantAdmin);
  const csv = parseCsv(await (await theirs.request.get("/api/registers/export?route=unrouted")).text());
  expect(csv[0]![0]).toBe("location");
  expect(csv.slice(1).map((r) => r[1])).toEqual(["Till 1", "Lane B", "Till 2"]);
  await theirs.context().close();
});

test("route a register by picking a paired terminal, move it (the dialog says what moves and what stays), then unroute it", async ({ page }) => {
  const support = await createUser("support");
  const tree = await seedRegisterTree();
  const t1 = await seedPairedTerminal((tree.merchant).id, support.id);
  const t2 = await seedPairedTerminal((tree.merchant).id, support.id);
  await routeInDb((tree.laneB).id, t1.ref);
  await routeInDb((tree.till2).id, t1.ref);
  await signIn(page, support);

  await page.goto(`/registers/${(tree.laneA).id}`);
  await expect(page.getByTestId("current-route")).toContainText("Unrouted: this register sends its payments nowhere.");
  // Support routes and pairs, but does not edit or archive.
  await expect(page.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Archive" })).toHaveCount(0);
  const picker = page.getByTestId("routable-terminals");
  await expect(picker.getByTestId("routable-terminal")).toHaveCount(2);
  await page.getByLabel("Terminal ID or pairing name").fill(t1.terminalId);
  await page.getByRole("button", { name: "Find terminals" }).click();
  await expect(page).toHaveURL(new RegExp(`env=sandbox&tq=${t1.terminalId}`));
  await expect(picker.getByTestId("routable-terminal")).toHaveCount(1);
  await page.getByRole("button", { name: `Route here: ${t1.terminalId}` }).click();
  await expect(page.getByText(`Lane A now sends its payments to ${t1.terminalId}.`)).toBeVisible();
  await expect(page.getByTestId("current-route")).toContainText(t1.terminalId);
  await expect(page.getByTestId("others-on-terminal")).toHaveText("2 other registers use this terminal.");
  expect(await registerRoute((tree.laneA).id)).toBe(t1.ref);

  // Move: the dialog first, in the words.
  await page.goto(`/registers/${(tree.laneA).id}`);
  await page.getByRole("button", { name: `Route here: ${t2.terminalId}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(
    `Register Lane A sends its payments to terminal ${t1.terminalId}. Routing it to ${t2.terminalId} moves it; ${t1.terminalId} stays paired for its 2 other registers.`,
  );
  expect(await registerRoute((tree.laneA).id)).toBe(t1.ref);
  await dialog.getByRole("button", { name: `Move to ${t2.terminalId}` }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Lane A now sends its payments to ${t2.terminalId}. ${t1.terminalId} stays paired for its 2 other registers.`)).toBeVisible();
  await expect(page.getByTestId("current-route")).toContainText(t2.terminalId);
  expect(await registerRoute((tree.laneA).id)).toBe(t2.ref);
  // Moving a register never changes another register's route, and unpairs nothing.
  expect(await registerRoute((tree.laneB).id)).toBe(t1.ref);
  expect(await registerRoute((tree.till2).id)).toBe(t1.ref);
  expect(one("select status from pairings where id = ?", t1.pairingId)).toEqual({ status: "active" });

  // The words when the old terminal keeps no register.
  await page.getByRole("button", { name: `Route here: ${t1.terminalId}` }).click();
  await expect(dialog).toContainText(
    `Register Lane A sends its payments to terminal ${t2.terminalId}. Routing it to ${t1.terminalId} moves it; ${t2.terminalId} stays paired; no other register uses it.`,
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect(await registerRoute((tree.laneA).id)).toBe(t2.ref);

  // Unroute.
  await page.getByRole("button", { name: "Unroute" }).click();
  await expect(dialog).toContainText(`Lane A will send its payments nowhere until it is routed again. ${t2.terminalId} stays paired.`);
  await dialog.getByRole("button", { name: "Unroute register" }).click();
  await expect(page.getByTestId("current-route")).toContainText("Unrouted: this register sends its payments nowhere.");
  expect(await registerRoute((tree.laneA).id)).toBeNull();
  expect(one("select status from pairings where id = ?", t2.pairingId)).toEqual({ status: "active" });
  expect(one("select details from audit_log where action = 'register.unroute' and actor_id = ? order by id desc", support.id)?.details).toContain(
    t2.terminalId,
  );
});

test("a route changed since the page was read is refused, not overwritten", async ({ page }) => {
  const support = await createUser("support");
  const tree = await seedRegisterTree();
  const t1 = await seedPairedTerminal((tree.merchant).id, support.id);
  const t2 = await seedPairedTerminal((tree.merchant).id, support.id);
  await signIn(page, support);
  await page.goto(`/registers/${(tree.till1).id}`);
  await expect(page.getByTestId("current-route")).toContainText("Unrouted");
  await routeInDb((tree.till1).id, t1.ref); // someone else, meanwhile
  await page.getByRole("button", { name: `Route here: ${t2.terminalId}` }).click();
  await expect(page.getByTestId("route-error").first()).toContainText("This register's route changed since you opened the page.");
  expect(await registerRoute((tree.till1).id)).toBe(t1.ref);
});

test("pair a new terminal from the register's page: a failed pair call changes nothing; then the register routes to it", async ({ page }) => {
  const tree = await seedRegisterTree();
  const merchantAdmin = await createUser("merchant-admin", "", (tree.merchant).id);
  await signIn(page, merchantAdmin);
  const terminalId = await simTerminal(page.request);

  await page.goto(`/registers/${(tree.till2).id}`);
  const name = page.getByLabel("Name", { exact: true });
  await expect(name).toHaveValue(`${(tree.location).name} / Till 2`);
  await expect(page.getByTestId("pair-merchant")).toContainText((tree.merchant).name);

  await simFault(page.request, "pair_500", { terminalId, count: 1 });
  await page.getByLabel("OTP").fill(await simOtp(page.request, terminalId));
  await page.getByRole("button", { name: "Pair and route here" }).click();
  await expect(page.getByTestId("pair-error")).toBeVisible();
  expect(await registerRoute((tree.till2).id)).toBeNull();
  expect(one("select count(*) as n from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ?", terminalId)).toEqual({ n: 0 });
  expect(one("select status from pairing_attempts where register_ref = ? order by id desc", (tree.till2).id)).toEqual({ status: "failed" });
  await expect(page.getByTestId("current-route")).toContainText("Unrouted");

  await page.getByLabel("OTP").fill(await simOtp(page.request, terminalId));
  await page.getByRole("button", { name: "Pair and route here" }).click();
  await expect(page).toHaveURL(new RegExp(`/registers/${(tree.till2).id}`));
  await expect(page.getByTestId("paired-notice")).toContainText(`“${(tree.location).name} / Till 2” is paired.`);
  await expect(page.getByTestId("current-route")).toContainText(terminalId);
  const saved = one(
    "select t.id as ref, p.name, p.status from terminals t join pairings p on p.terminal_ref = t.id where t.terminal_id = ?",
    terminalId,
  )!;
  expect(saved).toMatchObject({ name: `${(tree.location).name} / Till 2`, status: "active" });
  expect(await registerRoute((tree.till2).id)).toBe(saved.ref);
  // The notice is one-off: the parameter leaves the address.
  await expect(page).not.toHaveURL(/paired=/);
});

test("managers edit a register and archive it; a register with virtual registers is refused with the rule; an archived one offers nothing", async ({ page }) => {
  const admin = await createUser("admin");
  const tree = await seedRegisterTree();
  const t = await seedPairedTerminal((tree.merchant).id, admin.id);
  await routeInDb((tree.laneB).id, t.ref);
  await signIn(page, admin);

  await page.goto(`/registers/${(tree.till1).id}`);
  await expect(page.getByTestId("register-id")).toHaveText((tree.till1).registerId);
  await expect(page.getByTestId("virtual-register")).toHaveCount(2);
  await expect(page.getByTestId("add-virtual-register")).toHaveAttribute("href", `/locations/${(tree.location).id}?parent=${(tree.till1).id}#add-register`);
  await page.getByRole("button", { name: "Archive" }).click();
  await expect(page.getByTestId("archive-refusal")).toHaveText(
    "This register still has virtual registers: archive them first, then the physical register.",
  );
  await expect(page.getByRole("button", { name: "Archive register" })).toHaveCount(0);
  await page.getByRole("button", { name: "Close" }).first().click();

  await page.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog");
  await edit.getByLabel("Name", { exact: true }).fill("Lane A");
  await page.getByRole("button", { name: "Save" }).click();
  // Names are unique within a location (the database's rule, shown on the field).
  await expect(page.getByRole("dialog")).toContainText("This location already has a register with that name.");
  await edit.getByLabel("Name", { exact: true }).fill("Counter 1");
  await edit.getByLabel("External reference").fill("POS-COUNTER-1");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Counter 1" })).toBeVisible();
  expect(one("select name, external_ref from registers where id = ?", (tree.till1).id)).toEqual({ name: "Counter 1", external_ref: "POS-COUNTER-1" });

  await page.goto(`/registers/${(tree.laneB).id}`);
  await page.getByRole("button", { name: "Archive" }).click();
  await expect(page.getByRole("dialog")).toContainText(`It will stop sending payments to ${t.terminalId}`);
  await page.getByRole("button", { name: "Archive register" }).click();
  await expect(page.getByTestId("archived-notice")).toBeVisible();
  expect(one("select archived_at is not null as archived, terminal_ref from registers where id = ?", (tree.laneB).id)).toEqual({ archived: 1, terminal_ref: null });
  await expect(page.getByRole("button")).not.toContainText(["Edit", "Archive", "Unroute", "Route here"]);
  await expect(page.getByTestId("route-card")).toHaveCount(0);
});

test("viewers see everything read-only and a direct action call is refused; another merchant's register is not found", async ({ browser }) => {
  const admin = await createUser("admin");
  const tree = await seedRegisterTree();
  const t = await seedPairedTerminal((tree.merchant).id, admin.id);
  await routeInDb((tree.laneA).id, t.ref);

  for (const viewer of [await createUser("viewer"), await createUser("merchant-viewer", "", (tree.merchant).id)]) {
    const p = await signedInPage(browser, viewer);
    await p.goto(`/registers/${(tree.laneA).id}`);
    await expect(p.getByTestId("current-route")).toContainText(t.terminalId);
    await expect(p.getByTestId("register-id")).toHaveText((tree.laneA).registerId);
    await expect(p.locator("main form")).toHaveCount(0);
    await expect(p.locator("main").getByRole("button", { name: /Route here|Unroute|Edit|Archive|Pair/ })).toHaveCount(0);
    await p.goto(`/registers?location=${(tree.location).id}`);
    await expect(p.getByTestId("register-row")).toHaveCount(4);
    await expect(p.getByTestId("add-register")).toHaveCount(0);

    const before = one("select terminal_ref, name, archived_at from registers where id = ?", (tree.laneA).id);
    for (const [action, fields] of [
      ["unrouteRegisterAction", { registerId: String((tree.laneA).id), expectedTerminalRef: String(t.ref) }],
      ["archiveRegisterAction", { registerId: String((tree.laneA).id) }],
      ["updateRegisterAction", { registerId: String((tree.laneA).id), name: "Hacked", externalRef: "" }],
    ] as const) {
      const r = await callAction(p, `/registers/${(tree.laneA).id}`, action, fields);
      expect(r.text, `${viewer.role} ${action}`).toContain('"code":"forbidden"');
    }
    expect(one("select terminal_ref, name, archived_at from registers where id = ?", (tree.laneA).id)).toEqual(before);
    await p.context().close();
  }

  // Another merchant's admin: the page is not found, and its action finds nothing to change.
  const stranger = await createUser("merchant-admin");
  const p = await signedInPage(browser, stranger);
  const res = await p.goto(`/registers/${(tree.laneA).id}`);
  expect(res?.status()).toBe(404);
  await expect(p.getByText((tree.merchant).name)).toHaveCount(0);
  const r = await callAction(p, `/registers/${(tree.laneA).id}`, "unrouteRegisterAction", { registerId: String((tree.laneA).id), expectedTerminalRef: String(t.ref) });
  expect(r.text).toContain('"code":"not_found"');
  expect(await registerRoute((tree.laneA).id)).toBe(t.ref);
  const csv = await (await p.request.get(`/api/registers/export?location=${(tree.location).id}`)).text();
  expect(csv.trim().split("\r\n")).toHaveLength(1);
  await p.context().close();
});

test("axe on both pages, and how they look at 1280 and 375 px", async ({ page }) => {
  test.setTimeout(90_000);
  const admin = await createUser("admin");
  const tree = await seedRegisterTree();
  const t1 = await seedPairedTerminal((tree.merchant).id, admin.id);
  await seedPairedTerminal((tree.merchant).id, admin.id);
  await routeInDb((tree.laneA).id, t1.ref);
  await routeInDb((tree.till2).id, t1.ref);
  await signIn(page, admin);
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`/registers?location=${(tree.location).id}`);
    await expect(page.getByTestId("register-row")).toHaveCount(4);
    await expectNoSeriousViolations(page, `registers ${width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `test-results/registers/list-${width}.png`, fullPage: true });

    await page.goto(`/registers/${(tree.laneA).id}`);
    await expect(page.getByTestId("current-route")).toContainText(t1.terminalId);
    await expectNoSeriousViolations(page, `register ${width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `test-results/registers/register-${width}.png`, fullPage: true });

    await page.goto(`/registers/${(tree.till1).id}`);
    await expectNoSeriousViolations(page, `physical register ${width}`);
    await page.screenshot({ path: `test-results/registers/physical-${width}.png`, fullPage: true });
  }
});
