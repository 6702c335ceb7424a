import type { Page } from "@playwright/test";
import { callAction } from "./actions";
import { expectNoSeriousViolations } from "./axe";
import { appDb, expect, test } from "./fixtures";
import { auditRows, seedMerchant, seedPairing, seedTerminal, uniqueTag } from "./seed";

// Locations and their registers, through the Locations pages. Each test works in locations of
// its own (unique names), most in a merchant of its own; the shared sessions are never changed.

type LocationDbRow = { id: number; merchant_id: number; name: string; address: string; time_zone: string; archived_at: number | null };
type RegisterDbRow = {
  id: number;
  register_id: string;
  merchant_id: number;
  location_id: number;
  kind: string;
  parent_id: number | null;
  name: string;
  external_ref: string | null;
  archived_at: number | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HAS_REGISTERS =
  "This location still has registers: archive its registers first (virtual registers before their physical register), then the location.";

const locationsNamed = (name: string) =>
  appDb().prepare("select id, merchant_id, name, address, time_zone, archived_at from locations where name = ?").all(name) as LocationDbRow[];
const locationById = (id: number) =>
  appDb().prepare("select id, merchant_id, name, address, time_zone, archived_at from locations where id = ?").get(id) as LocationDbRow;
const registersOf = (locationId: number) =>
  appDb()
    .prepare(
      "select id, register_id, merchant_id, location_id, kind, parent_id, name, external_ref, archived_at from registers where location_id = ? order by id",
    )
    .all(locationId) as RegisterDbRow[];

/** A location written straight into the database, for tests that start from one. */
function seedLocation(merchantId: number, name = `Shop ${uniqueTag(4)}`, timeZone = "Europe/Lisbon"): LocationDbRow {
  const { id } = appDb()
    .prepare("insert into locations (merchant_id, name, address, time_zone) values (?, ?, '', ?) returning id")
    .get(merchantId, name, timeZone) as { id: number };
  return locationById(id);
}

function seedRegister(location: LocationDbRow, name: string, parentId: number | null = null): RegisterDbRow {
  const { id } = appDb()
    .prepare(
      "insert into registers (register_id, merchant_id, location_id, kind, parent_id, name) values (lower(hex(randomblob(4))) || '-aaaa-4aaa-8aaa-' || lower(hex(randomblob(6))), ?, ?, ?, ?, ?) returning id",
    )
    .get(location.merchant_id, location.id, parentId === null ? "physical" : "virtual", parentId, name) as { id: number };
  return registersOf(location.id).find((r) => r.id === id)!;
}

/**
 * `{ ok, code }` of a server action's answer, posted to the page that holds the action (the
 * location's page for its own actions; a refused call is retried once if the server resets it).
 */
async function act(page: Page, name: string, fields: Record<string, string>) {
  const path = fields.locationId ? `/locations/${fields.locationId}` : "/locations";
  const r = await callAction(page, path, name, fields).catch((err: unknown) => {
    if (!String(err).includes("ECONNRESET")) throw err;
    return callAction(page, path, name, fields);
  });
  expect(r.status).toBe(200);
  return {
    ok: /"ok":true/.test(r.text),
    code: /"code":"([a-z_]+)"/.exec(r.text)?.[1] ?? null,
    text: r.text,
  };
}

const registerRow = (page: Page, name: string) => page.getByTestId("register-row").filter({ has: page.getByRole("link", { name, exact: true }) });

test.describe("locations (managers)", () => {
  // The add form starts on the browser's own time zone.
  test.use({ timezoneId: "Europe/Lisbon" });

  test("a staff admin adds a location for a chosen merchant, then edits it", async ({ page, asRole }) => {
    const admin = await asRole("admin");
    const merchant = await seedMerchant();
    const name = `Harbour ${uniqueTag(4)}`;
    await page.goto(`/locations?merchant=${merchant.id}`);
    await expect(page.getByRole("heading", { level: 1, name: "Locations" })).toBeVisible();
    await expect(page.getByTestId("location-table")).toContainText("No locations yet. Press Add location");
    await expectNoSeriousViolations(page, "locations list, empty");

    await page.getByRole("button", { name: "Add location" }).click();
    const form = page.getByRole("form", { name: "Add a location" });
    // The switcher's merchant is preselected; the browser's zone is the default.
    await expect(form.getByLabel("Merchant")).toHaveValue(String(merchant.id));
    await expect(form.getByLabel("Time zone")).toHaveValue("Europe/Lisbon");
    // Suspended merchants are not offered.
    const suspended = await seedMerchant(undefined, "suspended");
    await expect(form.getByLabel("Merchant").locator("option", { hasText: suspended.name })).toHaveCount(0);
    // A name is required: refused on its field, nothing written.
    await form.getByRole("button", { name: "Add location" }).click();
    await expect(form.getByText("Enter the location's name.")).toBeVisible();
    expect(appDb().prepare("select count(*) n from locations where merchant_id = ?").get(merchant.id)).toEqual({ n: 0 });

    await form.getByLabel("Name").fill(`  ${name} `);
    await form.getByLabel("Address").fill("1 Quay Street\nPorto");
    await form.getByLabel("Time zone").selectOption("Europe/Madrid");
    await expectNoSeriousViolations(page, "add-location dialog");
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: test.info().outputPath("add-location-375.png") });
    await page.setViewportSize({ width: 1280, height: 900 });
    await form.getByRole("button", { name: "Add location" }).click();
    await expect(page.getByText(`Added the location ${name}.`)).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const [stored] = locationsNamed(name);
    expect(stored).toMatchObject({ merchant_id: merchant.id, address: "1 Quay Street\nPorto", time_zone: "Europe/Madrid", archived_at: null });
    // The switcher's merchant stays chosen.
    await expect(page).toHaveURL(new RegExp(`/locations/${stored!.id}\\?merchant=${merchant.id}$`));
    await expect(page.locator("main").getByRole("link", { name: "Locations", exact: true })).toHaveAttribute("href", `/locations?merchant=${merchant.id}`);
    await expect(page.getByTestId("location-merchant")).toContainText(merchant.name);
    await expect(page.getByTestId("location-address")).toHaveText("1 Quay Street\nPorto");
    await expect(page.getByTestId("location-time-zone")).toHaveText("Europe/Madrid");
    expect((await auditRows({ action: "location.create", targetType: "location", targetId: stored!.id }))[0]).toMatchObject({ actorId: admin.id });

    // Edit: the new time zone and its local time show.
    await page.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = page.getByRole("form", { name: `Edit ${name}` });
    await expect(edit.getByLabel("Time zone")).toHaveValue("Europe/Madrid");
    await edit.getByLabel("Time zone").selectOption("Asia/Tokyo");
    await edit.getByRole("button", { name: "Save location" }).click();
    await expect(page.getByText(`Saved ${name}.`)).toBeVisible();
    await expect(page.getByTestId("location-time-zone")).toHaveText("Asia/Tokyo");
    const tokyo = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit" });
    const local = (await page.getByTestId("location-local-time").textContent()) ?? "";
    const now = Date.now();
    expect([tokyo.format(now - 60_000), tokyo.format(now)]).toContain(local.slice(0, 5));
    expect(locationById(stored!.id).time_zone).toBe("Asia/Tokyo");

    // The list: the merchant column for staff viewing all, the counts, the search in the URL.
    await page.goto("/locations");
    await page.getByLabel("Search").fill(name);
    await expect(page).toHaveURL(/[?&]q=/);
    const row = page.getByTestId("location-row").filter({ hasText: name });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("merchant-cell")).toHaveText(merchant.name);
    await expect(row).toContainText("Asia/Tokyo");
    await expect(row.getByTestId("registers-cell")).toHaveText("0");
    await expect(page.getByRole("link", { name: "Remove the Search filter" })).toBeVisible();
    await expectNoSeriousViolations(page, "locations list, searched");
  });

  test("a merchant admin adds a location in their own merchant, with no merchant choice", async ({ page, asRole }) => {
    const me = await asRole("merchant-admin");
    const name = `Corner ${uniqueTag(4)}`;
    await page.goto("/locations");
    await page.getByRole("button", { name: "Add location" }).click();
    const form = page.getByRole("form", { name: "Add a location" });
    await expect(form.getByLabel("Merchant")).toHaveCount(0);
    await expect(form.getByTestId("location-merchant")).toBeVisible();
    await form.getByLabel("Name").fill(name);
    await form.getByRole("button", { name: "Add location" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const [stored] = locationsNamed(name);
    expect(stored).toMatchObject({ merchant_id: me.merchantId, time_zone: "Europe/Lisbon", address: "" });
    // A merchant's people never see a merchant name on it.
    await expect(page.getByTestId("location-merchant")).toHaveCount(0);
    // The same name again in the merchant is refused on the field.
    await page.goto("/locations");
    await page.getByRole("button", { name: "Add location" }).click();
    await form.getByLabel("Name").fill(name);
    await form.getByRole("button", { name: "Add location" }).click();
    await expect(form.getByText("This merchant already has a location with that name.")).toBeVisible();
    expect(locationsNamed(name)).toHaveLength(1);
  });

  test("registers: a physical register and two virtual registers under it; refusals write nothing", async ({ page, asRole }) => {
    await asRole("admin");
    const merchant = await seedMerchant();
    const location = seedLocation(merchant.id);
    await page.goto(`/locations/${location.id}`);
    await expect(page.getByTestId("location-registers")).toContainText("No registers yet.");
    const form = page.getByRole("form", { name: "Add a register" });
    // No physical register yet: a virtual one cannot be chosen.
    await expect(form.getByRole("radio", { name: "Virtual" })).toBeDisabled();

    await form.getByLabel("Name").fill("Till 1");
    await form.getByLabel("External reference").fill(`POS-${location.id}-1`);
    await form.getByRole("button", { name: "Add register" }).click();
    await expect(page.getByText("Added the register Till 1.")).toBeVisible();
    const [till] = registersOf(location.id);
    expect(till).toMatchObject({ kind: "physical", parent_id: null, merchant_id: merchant.id, name: "Till 1", external_ref: `POS-${location.id}-1` });
    expect(till!.register_id).toMatch(UUID);
    // The new register's ID, to copy, and its page.
    await expect(page.getByTestId("added-register-id")).toHaveText(till!.register_id);
    await expect(page.getByTestId("added-register").getByRole("button", { name: "Copy the new register ID" })).toBeVisible();
    await expect(page.getByTestId("added-register").getByRole("link", { name: /Open Till 1/ })).toHaveAttribute("href", `/registers/${till!.id}`);
    await expect(form.getByLabel("Name")).toHaveValue("");
    await expect(registerRow(page, "Till 1").getByTestId("route-cell")).toHaveText("Unrouted");

    // Two virtual registers under it.
    await form.getByRole("radio", { name: "Virtual" }).check();
    await expect(form.getByText("A virtual register is a second register ID on the same POS")).toBeVisible();
    await form.getByLabel("Physical register").selectOption(String(till!.id));
    await form.getByLabel("Name").fill("Till 1 A");
    await form.getByRole("button", { name: "Add virtual register" }).click();
    await expect(page.getByText("Added the virtual register Till 1 A.")).toBeVisible();
    // The kind and parent stay chosen for the next one.
    await expect(form.getByLabel("Physical register")).toHaveValue(String(till!.id));
    await form.getByLabel("Name").fill("Till 1 B");
    await form.getByRole("button", { name: "Add virtual register" }).click();
    await expect(page.getByText("Added the virtual register Till 1 B.")).toBeVisible();
    const rows = registersOf(location.id);
    expect(rows.map((r) => [r.name, r.kind, r.parent_id, r.location_id, r.merchant_id])).toEqual([
      ["Till 1", "physical", null, location.id, merchant.id],
      ["Till 1 A", "virtual", till!.id, location.id, merchant.id],
      ["Till 1 B", "virtual", till!.id, location.id, merchant.id],
    ]);
    for (const r of rows) expect(r.register_id).toMatch(UUID);
    expect(new Set(rows.map((r) => r.register_id)).size).toBe(3);
    // Tree order on the page: the physical register, then its virtual registers.
    await expect(page.getByTestId("register-row").getByRole("link")).toHaveText(["Till 1", "Till 1 A", "Till 1 B"]);
    // The routing, as a screen reader reads it beside the diagram.
    const routing = page.getByTestId("routing-list-reader");
    for (const line of ["Till 1: not routed", "Till 1 A (virtual): not routed", "Till 1 B (virtual): not routed"]) {
      await expect(routing).toContainText(line);
    }

    // The parent select lists the physical registers only.
    await expect(form.getByLabel("Physical register").locator("option:not([disabled])")).toHaveText(["Till 1"]);
    // A duplicate name in the location: refused with the rule's message, nothing written.
    await form.getByLabel("Physical register").selectOption(String(till!.id));
    await form.getByLabel("Name").fill("Till 1 A");
    await form.getByRole("button", { name: "Add virtual register" }).click();
    await expect(form.getByText("This location already has a register with that name.")).toBeVisible();
    await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
    expect(registersOf(location.id)).toHaveLength(3);

    // A virtual parent, sent straight to the action, is refused and nothing is written.
    const virtualA = rows[1]!;
    const refused = await act(page, "createRegisterAction", {
      locationId: String(location.id),
      kind: "virtual",
      parentId: String(virtualA.id),
      name: "Nested",
    });
    expect(refused).toMatchObject({ ok: false, code: "register_parent" });
    expect(refused.text).toContain("A virtual register's parent must be a physical register of the same location");
    expect(registersOf(location.id)).toHaveLength(3);

    // ?parent= preselects a virtual register under that physical register.
    await page.goto(`/locations/${location.id}?parent=${till!.id}#add-register`);
    await expect(form.getByRole("radio", { name: "Virtual" })).toBeChecked();
    await expect(form.getByLabel("Physical register")).toHaveValue(String(till!.id));
    await expectNoSeriousViolations(page, "location page with registers");

    for (const [width, height] of [
      [1280, 900],
      [375, 800],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`/locations/${location.id}`);
      await expect(page.getByTestId("register-row")).toHaveCount(3);
      // Nothing wider than the phone's screen: tables scroll inside their region.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.screenshot({ path: test.info().outputPath(`location-${width}.png`), fullPage: true });
      await page.goto("/locations");
      await page.screenshot({ path: test.info().outputPath(`locations-${width}.png`), fullPage: true });
    }
  });

  test("archiving is refused while the location has registers; once they are archived it is archived", async ({ page, asRole }) => {
    const me = (await asRole("merchant-admin")).merchantId!;
    const location = seedLocation(me);
    const till = seedRegister(location, "Till 1");
    const virtual = seedRegister(location, "Till 1 A", till.id);

    await page.goto(`/locations/${location.id}`);
    await page.getByRole("button", { name: `Archive ${location.name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Archive ${location.name}?` });
    await expect(dialog.getByTestId("archive-location-warning")).toContainText("It still has 2 registers");
    await expectNoSeriousViolations(page, "archive dialog");
    // Nothing to press but Cancel.
    await expect(dialog.getByRole("button", { name: "Archive location" })).toHaveCount(0);
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // Its registers archived (the virtual one first), the location can go.
    const archive = appDb().prepare("update registers set archived_at = unixepoch() * 1000 where id = ?");
    archive.run(virtual.id);
    archive.run(till.id);
    await page.reload();
    await expect(page.getByTestId("location-registers")).toContainText("No registers yet.");
    // A register added after the page was drawn: the database still refuses, and the dialog says so.
    const late = seedRegister(location, "Till 2");
    await page.getByRole("button", { name: `Archive ${location.name}` }).click();
    await expect(dialog.getByTestId("archive-location-warning")).toHaveCount(0);
    await dialog.getByRole("button", { name: "Archive location" }).click();
    await expect(dialog.getByTestId("archive-location-error")).toContainText(HAS_REGISTERS);
    expect(locationById(location.id).archived_at).toBeNull();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    archive.run(late.id);
    await page.reload();
    await page.getByRole("button", { name: `Archive ${location.name}` }).click();
    await dialog.getByRole("button", { name: "Archive location" }).click();
    await expect(page.getByText(`Archived the location ${location.name}.`)).toBeVisible();
    await expect(page.getByTestId("archived-notice")).toBeVisible();
    await expect(page.getByRole("button", { name: /^Edit|^Archive/ })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Add a register" })).toHaveCount(0);
    expect(locationById(location.id).archived_at).not.toBeNull();
    expect(await auditRows({ action: "location.archive", targetType: "location", targetId: location.id })).toHaveLength(1);

    // It leaves the list, and shows under Archived.
    await page.goto(`/locations?q=${encodeURIComponent(location.name)}`);
    await expect(page.getByTestId("location-row")).toHaveCount(0);
    await page.getByLabel("Archived").selectOption("yes");
    await expect(page).toHaveURL(/archived=yes/);
    await expect(page.getByTestId("location-row").filter({ hasText: location.name })).toContainText("archived");
  });
});

test.describe("locations (read only)", () => {
  for (const role of ["viewer", "merchant-viewer", "support"] as const) {
    test(`${role} sees locations and registers with no change control; direct calls are refused`, async ({ page, asRole }) => {
      const user = await asRole(role);
      const merchantId = user.merchantId ?? (await seedMerchant()).id;
      const location = seedLocation(merchantId);
      const till = seedRegister(location, "Till 1");
      await page.goto("/locations");
      await expect(page.getByRole("button", { name: "Add location" })).toHaveCount(0);
      await page.goto(`/locations/${location.id}`);
      await expect(page.getByRole("heading", { level: 1, name: location.name })).toBeVisible();
      await expect(registerRow(page, "Till 1")).toContainText("Unrouted");
      await expect(page.getByRole("button", { name: /Edit|Archive/ })).toHaveCount(0);
      await expect(page.getByRole("form", { name: "Add a register" })).toHaveCount(0);
      await expect(page.locator("#add-register")).toHaveCount(0);
      if (role === "viewer") await expectNoSeriousViolations(page, "location page, read only");

      const calls: [string, Record<string, string>][] = [
        ["createLocationAction", { merchantId: String(merchantId), name: `Nope ${uniqueTag(3)}`, timeZone: "UTC" }],
        ["updateLocationAction", { locationId: String(location.id), name: "Renamed", timeZone: "UTC" }],
        ["archiveLocationAction", { locationId: String(location.id) }],
        ["createRegisterAction", { locationId: String(location.id), kind: "physical", name: "Till 9" }],
      ];
      for (const [name, fields] of calls) {
        const r = await act(page, name, fields);
        expect(r, `${name}: ${r.text.slice(0, 300)}`).toMatchObject({ ok: false, code: "forbidden" });
      }
      expect(locationById(location.id)).toEqual(location);
      expect(registersOf(location.id)).toEqual([till]);
    });
  }

  test("routes show as terminal links with their environment and pairing; the others as not routed", async ({ page, asRole }) => {
    const viewer = await asRole("viewer");
    const merchant = await seedMerchant();
    const location = seedLocation(merchant.id);
    const till1 = seedRegister(location, "Till 1");
    const virtual = seedRegister(location, "Till 1 A", till1.id);
    seedRegister(location, "Till 2");
    const terminal = await seedTerminal({ merchantId: merchant.id, environment: "sandbox" });
    await seedPairing({ terminalRef: terminal.id, name: `${location.name} / Till 1`, createdById: viewer.id });
    // The route as the domain writes it (the database checks the terminal's active pairing).
    const route = appDb().prepare("update registers set terminal_ref = ?, routed_at = unixepoch() * 1000 where id = ?");
    route.run(terminal.id, till1.id);
    route.run(terminal.id, virtual.id);

    await page.goto(`/locations/${location.id}`);
    const cell = registerRow(page, "Till 1").getByTestId("route-cell");
    await expect(cell.getByRole("link", { name: terminal.terminalId })).toHaveAttribute("href", `/terminals/${terminal.id}`);
    await expect(cell).toContainText("sandbox");
    await expect(registerRow(page, "Till 2").getByTestId("route-cell")).toHaveText("Unrouted");
    // The diagram draws one line per route, and says the same as a list for screen readers.
    await expect(page.getByTestId("routing-lines").locator("path")).toHaveCount(2);
    const routing = page.getByTestId("routing-list-reader");
    for (const line of [
      `Till 1 → terminal ${terminal.terminalId} (sandbox, pairing “${location.name} / Till 1”)`,
      `Till 1 A (virtual) → terminal ${terminal.terminalId} (sandbox, pairing “${location.name} / Till 1”)`,
      "Till 2: not routed",
    ]) {
      await expect(routing).toContainText(line);
    }
    await expectNoSeriousViolations(page, "location page with routes");
    // The list counts the unrouted one.
    await page.goto(`/locations?merchant=${merchant.id}`);
    const row = page.getByTestId("location-row").filter({ hasText: location.name });
    await expect(row.getByTestId("registers-cell")).toHaveText("3");
    await expect(row.getByTestId("unrouted-cell")).toHaveText("1");
    await expect(row.getByTestId("merchant-cell")).toHaveCount(0);
  });

  test("a suspended merchant's location offers no change, even to a staff admin", async ({ page, asRole }) => {
    await asRole("admin");
    const merchant = await seedMerchant(undefined, "suspended");
    const location = seedLocation(merchant.id);
    await page.goto(`/locations/${location.id}`);
    await expect(page.getByTestId("suspended-notice")).toContainText(`${merchant.name} is suspended`);
    await expect(page.getByRole("button", { name: /Edit|Archive/ })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Add a register" })).toHaveCount(0);
  });

  test("another merchant's location answers 404 to a merchant's people, and its actions find nothing", async ({ page, asRole }) => {
    await asRole("merchant-admin");
    const other = await seedMerchant();
    const location = seedLocation(other.id, `Elsewhere ${uniqueTag(4)}`);
    const res = await page.goto(`/locations/${location.id}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByText(location.name)).toHaveCount(0);
    await page.goto(`/locations?q=${encodeURIComponent(location.name)}`);
    await expect(page.getByTestId("location-row")).toHaveCount(0);
    expect(await act(page, "archiveLocationAction", { locationId: String(location.id) })).toMatchObject({ ok: false, code: "not_found" });
    expect(await act(page, "createRegisterAction", { locationId: String(location.id), kind: "physical", name: "Sneaky" })).toMatchObject({
      ok: false,
    });
    expect(locationById(location.id).archived_at).toBeNull();
    expect(registersOf(location.id)).toHaveLength(0);
  });
});
