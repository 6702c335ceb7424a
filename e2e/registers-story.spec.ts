/**
 * The registers story end to end, as a merchant admin does it in the browser with the simulator:
 * a location, a physical register with two virtual registers; route them to two simulated
 * terminals (one paired from a register's page); move a virtual register to the other terminal
 * (both terminal pages list the right registers, the simulator saw no unpair call); the location
 * draws the routing; a routed register shows its App2App hand-off. Then a CSV import with one
 * bad row is refused whole with that row's error, and the fixed file imports once.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { appDb, createUser, expect, signIn, simCalls, simOtp, simTerminal, submitPairForm, test } from "./fixtures";
import { seedMerchant, uniqueTag } from "./seed";

type Row = Record<string, unknown>;
const all = (sql: string, ...args: unknown[]) => appDb().prepare(sql).all(...args) as Row[];
const one = (sql: string, ...args: unknown[]) => appDb().prepare(sql).get(...args) as Row | undefined;

async function addRegister(page: Page, name: string, parent?: string) {
  const form = page.getByRole("form", { name: "Add a register" });
  if (parent) {
    await form.getByLabel("Virtual").check();
    await form.getByLabel("Physical register").selectOption({ label: parent });
  } else {
    await form.getByLabel("Physical").check();
  }
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: parent ? "Add virtual register" : "Add register" }).click();
  await expect(page.getByTestId("register-row").getByRole("link", { name, exact: true })).toBeVisible();
}

async function openRegister(page: Page, locationId: number, name: string) {
  await page.goto(`/locations/${locationId}`);
  await page.getByTestId("register-row").getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

async function routeTo(page: Page, terminalId: string) {
  await page.locator("#pick-env").selectOption("sandbox");
  await page.getByLabel("Terminal ID or pairing name").fill(terminalId);
  await page.getByRole("search", { name: "Find a paired terminal" }).getByRole("button").click();
  await page.getByRole("button", { name: `Route here: ${terminalId}` }).click();
}

test("a merchant admin routes a register and its virtual registers to two terminals, moves one, and no unpair call is made", async ({ page, request }) => {
  const merchant = await seedMerchant();
  const admin = await createUser("merchant-admin", "Story admin", merchant.id);
  const tag = uniqueTag();
  const [t1, t2] = [await simTerminal(request), await simTerminal(request)];
  await signIn(page, admin);

  // T1 paired the usual way.
  await submitPairForm(page, { name: `Story T1 ${tag}`, otp: await simOtp(request, t1) });
  await expect(page.getByRole("heading", { level: 1, name: `Terminal ${t1}` })).toBeVisible();

  // A location, a physical register and two virtual registers.
  await page.goto("/locations");
  await page.getByRole("button", { name: "Add location" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(`Harbour ${tag}`);
  await dialog.getByLabel("Time zone").selectOption("Europe/Lisbon");
  await dialog.getByRole("button", { name: "Add location" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Harbour ${tag}` })).toBeVisible();
  const location = one("select id, merchant_id from locations where name = ?", `Harbour ${tag}`)!;
  expect(location.merchant_id).toBe(merchant.id);
  const locationId = Number(location.id);
  await addRegister(page, "Till");
  await addRegister(page, "Till – lane A", "Till");
  await addRegister(page, "Till – lane B", "Till");

  // Till → T1 by picking it.
  await openRegister(page, locationId, "Till");
  await expect(page.getByText("Unrouted: this register sends its payments nowhere.")).toBeVisible();
  await routeTo(page, t1);
  await expect(page.getByText(/Sends its payments to/)).toContainText(t1);
  // Lane A → a new terminal, T2, paired right there (the name defaults to "<location> / <register>").
  await openRegister(page, locationId, "Till – lane A");
  const pairForm = page.locator("form").filter({ has: page.getByLabel("OTP") });
  await expect(pairForm.getByLabel("Name")).toHaveValue(`Harbour ${tag} / Till – lane A`);
  await pairForm.getByLabel("OTP").fill(await simOtp(request, t2));
  await pairForm.getByRole("button", { name: "Pair and route here" }).click();
  await expect(page.getByText(/Sends its payments to/)).toContainText(t2);
  // Lane B → T1.
  await openRegister(page, locationId, "Till – lane B");
  await routeTo(page, t1);
  await expect(page.getByText(/Sends its payments to/)).toContainText(t1);

  const routes = () =>
    all(
      "select r.name, t.terminal_id from registers r left join terminals t on t.id = r.terminal_ref where r.location_id = ? order by r.id",
      locationId,
    );
  expect(routes()).toEqual([
    { name: "Till", terminal_id: t1 },
    { name: "Till – lane A", terminal_id: t2 },
    { name: "Till – lane B", terminal_id: t1 },
  ]);

  // Move lane B to T2: the dialog says T1 stays paired for its other register.
  await openRegister(page, locationId, "Till – lane B");
  await routeTo(page, t2);
  const move = page.getByRole("dialog");
  await expect(move).toContainText(
    `Register Till – lane B sends its payments to terminal ${t1}. Routing it to ${t2} moves it; ${t1} stays paired for its 1 other register.`,
  );
  await move.getByRole("button", { name: `Move to ${t2}` }).click();
  await expect(page.getByText(/Sends its payments to/)).toContainText(t2);
  expect(routes()).toEqual([
    { name: "Till", terminal_id: t1 },
    { name: "Till – lane A", terminal_id: t2 },
    { name: "Till – lane B", terminal_id: t2 },
  ]);
  // Both terminals keep one active pairing each; nobody called unpair.
  for (const t of [t1, t2]) {
    expect(one("select count(*) as n from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ? and p.status = 'active'", t)).toEqual({ n: 1 });
    expect((await simCalls(request, t)).filter((c) => c.call === "unpair")).toEqual([]);
  }

  // Each terminal's page lists the registers that route to it.
  const terminalPage = async (terminalId: string, names: string[]) => {
    const ref = one("select id from terminals where terminal_id = ?", terminalId)!.id;
    await page.goto(`/terminals/${ref}`);
    const section = page.getByRole("region", { name: /Registers/ }).or(page.getByTestId("terminal-registers"));
    for (const n of names) await expect(section.getByRole("link", { name: n, exact: true })).toBeVisible();
  };
  await terminalPage(t1, ["Till"]);
  await terminalPage(t2, ["Till – lane A", "Till – lane B"]);

  // The location draws the routing: three lines, and the same as a list for screen readers.
  await page.goto(`/locations/${locationId}`);
  await expect(page.getByTestId("routing-lines").locator("path")).toHaveCount(3);
  await expect(page.getByTestId("routing-list-reader")).toContainText(`Till – lane B (virtual) → terminal ${t2}`);
  fs.mkdirSync("test-results/registers-story", { recursive: true });
  await page.getByTestId("routing-diagram").screenshot({ path: path.join("test-results/registers-story", "routing.png") });
  await expectNoSeriousViolations(page, "location with routes");

  // A routed register's App2App hand-off: its pay_connect_id, the sandbox app, the register ID, a QR code; no secret.
  await openRegister(page, locationId, "Till");
  const registerId = String(one("select register_id from registers where location_id = ? and name = 'Till'", locationId)!.register_id);
  const payConnectId = String(
    one("select p.pay_connect_id from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ? and p.status = 'active'", t1)!.pay_connect_id,
  );
  const handoff = page.getByRole("region", { name: /App2App/ }).or(page.locator("section", { hasText: "App2App" })).first();
  await expect(handoff).toContainText(payConnectId);
  await expect(handoff).toContainText("com.lab4pay.pos.staging");
  await expect(handoff).toContainText(registerId);
  await expect(page.getByRole("img", { name: "QR code for the App2App hand-off of register Till" })).toBeVisible();
  const html = await page.content();
  expect(html).not.toMatch(/client_secret|webhook_secret|whsec_/i);
  await expectNoSeriousViolations(page, "routed register with App2App");
});

test("a CSV with one bad row imports nothing and names the row; the fixed file imports, and twice creates nothing new", async ({ page }) => {
  const merchant = await seedMerchant();
  const admin = await createUser("admin", "Import admin");
  const tag = uniqueTag();
  const location = `Import shop ${tag}`;
  appDb().prepare("insert into locations (merchant_id, name, time_zone) values (?, ?, 'UTC')").run(merchant.id, location);
  const dir = path.join("test-results", "registers-import", tag);
  fs.mkdirSync(dir, { recursive: true });
  const good = `\uFEFFlocation,register,parent register,external reference\r\n${location},Till 1,,POS-${tag}\r\n${location},"Till 1, lane A",Till 1,\r\n`;
  const bad = `${good}Nowhere ${tag},Till 9,,\r\n`;
  fs.writeFileSync(path.join(dir, "bad.csv"), bad);
  fs.writeFileSync(path.join(dir, "good.csv"), good);
  const count = () => Number(one("select count(*) as n from registers where merchant_id = ?", merchant.id)!.n);

  await signIn(page, admin);
  await page.goto(`/registers/import?merchant=${merchant.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Import registers" })).toBeVisible();
  await expect(page.getByLabel("Merchant", { exact: true })).toHaveValue(String(merchant.id));
  await page.getByLabel("CSV file").setInputFiles(path.join(dir, "bad.csv"));
  await page.getByRole("button", { name: "Preview" }).click();
  const errors = page.getByTestId("import-errors");
  await expect(errors).toContainText("Nothing was imported");
  await expect(errors.getByRole("row").filter({ hasText: `Nowhere ${tag}` })).toContainText("4");
  await expect(page.getByRole("button", { name: /^Import \d+ register/ })).toHaveCount(0);
  expect(count()).toBe(0);
  await expectNoSeriousViolations(page, "import with errors");

  await page.getByLabel("CSV file").setInputFiles(path.join(dir, "good.csv"));
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("import-plan")).toContainText("Importing would create 2 registers");
  expect(count()).toBe(0);
  await page.getByRole("button", { name: "Import 2 registers" }).click();
  await expect(page.getByTestId("import-plan")).toContainText("Created 2 registers");
  expect(all("select r.name, r.kind, p.name as parent, r.external_ref from registers r left join registers p on p.id = r.parent_id where r.merchant_id = ? order by r.id", merchant.id)).toEqual([
    { name: "Till 1", kind: "physical", parent: null, external_ref: `POS-${tag}` },
    { name: "Till 1, lane A", kind: "virtual", parent: "Till 1", external_ref: null },
  ]);

  // The same file again: nothing new.
  await page.reload();
  await page.getByLabel("CSV file").setInputFiles(path.join(dir, "good.csv"));
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("import-plan")).toContainText("importing it would create nothing");
  expect(count()).toBe(2);

  // On a phone the page (its example file included) never scrolls sideways.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Import registers" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
});
