import type { Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { callAction } from "./actions";
import { expectNoSeriousViolations } from "./axe";
import { appDb, createUser, expect, signIn, simOtp, simTerminal, test } from "./fixtures";
import { auditRows, seedMerchant, uniqueTag } from "./seed";

// The staff admin is the shared session (asRole); every merchant and user a test changes is its own.

type MerchantDbRow = { id: number; name: string; status: string; external_ref: string | null };
type UserDbRow = { id: number; role: string; merchant_id: number | null; disabled_at: number | null };

const merchantNamed = (name: string) =>
  appDb().prepare("select id, name, status, external_ref from merchants where name = ? collate nocase").all(name) as MerchantDbRow[];
const merchantById = (id: number) =>
  appDb().prepare("select id, name, status, external_ref from merchants where id = ?").get(id) as MerchantDbRow | undefined;
const userRowByEmail = (email: string) =>
  appDb().prepare("select id, role, merchant_id, disabled_at from users where email = ?").get(email) as UserDbRow | undefined;

const merchantRow = (page: Page, name: string) => page.getByTestId("merchant-row").filter({ hasText: name });
const userRow = (page: Page, email: string) => page.getByTestId("user-row").filter({ hasText: email });

const SUSPENDED_LOGIN = "Your merchant's access to Pairdesk is suspended. Ask the integrator's support to reactivate it.";

test.describe("merchants page (staff admin)", () => {
  test("adds a merchant; a duplicate name in any case, a duplicate reference and a long name are refused; renames it", async ({
    page,
    asRole,
  }) => {
    const admin = await asRole("admin");
    const tag = uniqueTag(4);
    const name = `Acme ${tag}`;
    const ref = `POS-${tag}`;
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Merchants" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Merchants" })).toBeVisible();
    // The list pages: narrowed to this test's merchants by its search (the URL keeps it as they are added).
    await page.getByRole("search", { name: "Filter merchants" }).getByLabel("Search").fill(tag);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${tag}`));

    const form = page.getByRole("form", { name: "Add a merchant" });
    const nameField = form.getByLabel("Name", { exact: true });
    const refField = form.getByLabel("External reference", { exact: true });

    // Refusals first (a merchant of this test's own holds the name and the reference).
    const holder = await seedMerchant(`Holder ${tag}`);
    appDb().prepare("update merchants set external_ref = ? where id = ?").run(`HOLD-${tag}`, holder.id);
    // The same name in another case: refused on the Name field, nothing added.
    await nameField.fill(holder.name.toUpperCase());
    await form.getByRole("button", { name: "Add merchant" }).click();
    await expect(form.getByText(`A merchant named “${holder.name}” already exists.`)).toBeVisible();
    await expect(nameField).toHaveAttribute("aria-invalid", "true");
    await expect(nameField).toHaveValue(holder.name.toUpperCase());
    expect(merchantNamed(holder.name)).toHaveLength(1);
    // Another name with the holder's external reference.
    await nameField.fill(name);
    await refField.fill(`HOLD-${tag}`);
    await form.getByRole("button", { name: "Add merchant" }).click();
    await expect(form.getByText(`The merchant “${holder.name}” already has the external reference HOLD-${tag}.`)).toBeVisible();
    await expect(refField).toHaveAttribute("aria-invalid", "true");
    expect(merchantNamed(name)).toHaveLength(0);
    // Too long.
    const long = `L${tag}`.padEnd(101, "x");
    await nameField.fill(long);
    await refField.fill("");
    await form.getByRole("button", { name: "Add merchant" }).click();
    await expect(form.getByText("A merchant's name has at most 100 characters.")).toBeVisible();
    expect(merchantNamed(long)).toHaveLength(0);
    await expectNoSeriousViolations(page, "add-merchant form with errors");

    await nameField.fill(`  ${name} `);
    await refField.fill(ref);
    await form.getByRole("button", { name: "Add merchant" }).click();
    await expect(page.getByText(`Added the merchant ${name}.`)).toBeVisible();
    const row = merchantRow(page, name);
    await expect(row).toContainText(ref);
    await expect(row.getByText("active", { exact: true })).toBeVisible();
    await expect(nameField).toHaveValue("");
    await expect(form.getByText(/already exists/)).toHaveCount(0);

    const [stored] = merchantNamed(name);
    expect(stored).toMatchObject({ name, status: "active", external_ref: ref });
    const created = await auditRows({ action: "merchant.create", targetType: "merchant", targetId: stored!.id });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actorId: admin.id });

    // Rename (and drop the reference) through the Edit dialog.
    const renamed = `${name} Ltd`;
    await row.getByRole("button", { name: `Edit ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Edit ${name}` });
    await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue(name);
    await dialog.getByLabel("Name", { exact: true }).fill(renamed);
    await dialog.getByLabel("External reference", { exact: true }).fill("");
    await dialog.getByRole("button", { name: "Save merchant" }).click();
    await expect(page.getByText(`Saved ${renamed}.`)).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(merchantRow(page, renamed)).toBeVisible();
    expect(merchantById(stored!.id)).toMatchObject({ name: renamed, status: "active", external_ref: null });
    const rename = await auditRows({ action: "merchant.rename", targetType: "merchant", targetId: stored!.id });
    expect(rename).toHaveLength(1);
    expect(JSON.parse(rename[0]!.details!)).toMatchObject({ from: name, to: renamed });

    // Renaming onto another merchant's name is refused in the dialog, nothing changes.
    const taken = holder;
    await merchantRow(page, renamed).getByRole("button", { name: `Edit ${renamed}` }).click();
    const again = page.getByRole("dialog", { name: `Edit ${renamed}` });
    await again.getByLabel("Name", { exact: true }).fill(taken.name.toLowerCase());
    await again.getByRole("button", { name: "Save merchant" }).click();
    await expect(again.getByText(`A merchant named “${taken.name}” already exists.`)).toBeVisible();
    expect(merchantById(stored!.id)!.name).toBe(renamed);
  });

  test("suspending signs its admin out and stops their sign-in and pairings into it; reactivating lets them back", async ({
    page,
    browser,
    asRole,
  }) => {
    await asRole("admin");
    const merchant = await seedMerchant();
    const merchantAdmin = await createUser("merchant-admin", "", merchant.id);

    // The merchant's admin is signed in, in another browser.
    const theirCtx = await browser.newContext();
    const theirPage = await theirCtx.newPage();
    await signIn(theirPage, merchantAdmin);

    await page.goto(`/merchants?q=${encodeURIComponent(merchant.name)}`);
    const row = merchantRow(page, merchant.name);
    await row.getByRole("button", { name: `Suspend ${merchant.name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Suspend ${merchant.name}?` });
    await expect(dialog).toContainText("Its people (1 user) are signed out at once and cannot sign in until it is reactivated.");
    await expect(dialog).toContainText("Nothing can be paired into it meanwhile.");
    await expect(dialog).toContainText("stay readable by staff");
    await expectNoSeriousViolations(page, "suspend dialog");
    await dialog.getByRole("button", { name: "Suspend merchant" }).click();
    await expect(page.getByText(`${merchant.name} is suspended: its people cannot sign in (1 session ended)`)).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(row.getByText("suspended", { exact: true })).toBeVisible();
    expect(merchantById(merchant.id)!.status).toBe("suspended");
    expect(await auditRows({ action: "merchant.suspend", targetType: "merchant", targetId: merchant.id })).toHaveLength(1);

    // Signed out at the next request, and refused at the sign-in with the reason.
    await theirPage.goto("/terminals");
    await expect(theirPage).toHaveURL(/\/login/);
    await theirPage.getByLabel("Email").fill(merchantAdmin.email);
    await theirPage.getByLabel("Password").fill(merchantAdmin.password);
    await theirPage.getByRole("button", { name: "Sign in" }).click();
    await expect(theirPage.getByTestId("login-error")).toHaveText(SUSPENDED_LOGIN);
    await expect(theirPage).toHaveURL(/\/login/);

    // Nothing can be paired into it, even by a staff admin posting the action directly.
    const terminalId = await simTerminal(page.request);
    const otp = await simOtp(page.request, terminalId);
    const pairingName = `Suspended ${uniqueTag(4)}`;
    const pair = await callAction(page, "/terminals/pair", "pairTerminalAction", {
      requestKey: randomUUID(),
      name: pairingName,
      otp,
      environment: "sandbox",
      webhookUrl: "",
      merchantId: String(merchant.id),
    });
    expect(pair.text).toContain(`${merchant.name} is suspended: nothing can be paired into it.`);
    expect(appDb().prepare("select count(*) n from pairing_attempts where name = ?").get(pairingName)).toEqual({ n: 0 });
    expect(appDb().prepare("select count(*) n from terminals where terminal_id = ?").get(terminalId)).toEqual({ n: 0 });

    // Reactivated: they sign in again.
    await row.getByRole("button", { name: `Reactivate ${merchant.name}` }).click();
    const reactivate = page.getByRole("dialog", { name: `Reactivate ${merchant.name}?` });
    await reactivate.getByRole("button", { name: "Reactivate merchant" }).click();
    await expect(page.getByText(`${merchant.name} is active again: its people can sign in.`)).toBeVisible();
    await expect(row.getByText("active", { exact: true })).toBeVisible();
    expect(merchantById(merchant.id)!.status).toBe("active");
    await signIn(theirPage, merchantAdmin);
    await theirCtx.close();
  });
});

test.describe("merchants page (not a staff admin)", () => {
  for (const role of ["support", "viewer", "merchant-admin"] as const) {
    test(`a ${role} has no Merchants link, /merchants answers 403, and the actions refuse`, async ({ page, asRole }) => {
      await asRole(role);
      const merchant = await seedMerchant();
      await page.goto("/");
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect(nav.getByRole("link", { name: "Terminals" })).toBeVisible();
      await expect(nav.getByRole("link", { name: "Merchants" })).toHaveCount(0);

      const res = await page.goto("/merchants");
      expect(res!.status()).toBe(403);
      await expect(page.getByRole("heading", { level: 1, name: "Not allowed" })).toBeVisible();
      await expect(page.getByText(/cannot manage merchants\./)).toBeVisible();
      await expect(page.getByText(merchant.name)).toHaveCount(0);

      const name = `Sneaky ${uniqueTag(4)}`;
      const create = await callAction(page, "/merchants", "createMerchantAction", { name, externalRef: "" });
      expect(create.text).toContain("cannot manage merchants.");
      expect(merchantNamed(name)).toHaveLength(0);
      const rename = await callAction(page, "/merchants", "updateMerchantAction", {
        merchantId: String(merchant.id),
        name,
        externalRef: "",
      });
      expect(rename.text).toContain("cannot manage merchants.");
      const suspend = await callAction(page, "/merchants", "setMerchantStatusAction", {
        merchantId: String(merchant.id),
        status: "suspended",
      });
      expect(suspend.text).toContain("cannot manage merchants.");
      expect(merchantById(merchant.id)).toMatchObject({ name: merchant.name, status: "active" });
    });
  }
});

test.describe("users page with merchants", () => {
  test("a staff admin adds a merchant admin of a merchant: the Merchant choice comes with merchant roles and is required", async ({
    page,
    asRole,
  }) => {
    const admin = await asRole("admin");
    const merchant = await seedMerchant();
    const otherMerchant = await seedMerchant();
    const otherUser = await createUser("merchant-viewer", "", otherMerchant.id);
    await page.goto(`/users?q=${admin.email}`);

    // Staff are "Staff" in the Merchant column.
    await expect(userRow(page, admin.email).getByTestId("user-merchant")).toHaveText("Staff");
    // The users this test adds, newest first (the list pages).
    await page.goto("/users?sort=-added");

    const form = page.getByRole("form", { name: "Add a user" });
    const role = form.getByLabel("Role", { exact: true });
    const merchantField = form.getByLabel("Merchant", { exact: true });
    await expect(merchantField).toHaveCount(0);
    await role.selectOption({ label: "merchant admin" });
    await expect(merchantField).toBeVisible();
    await role.selectOption({ label: "support" });
    await expect(merchantField).toHaveCount(0);
    await role.selectOption({ label: "merchant admin" });

    const email = `madmin-${uniqueTag(4)}@e2e.test`;
    await form.getByLabel("Email", { exact: true }).fill(email);
    await form.getByLabel("Password", { exact: true }).fill(`A good long password ${uniqueTag(6)}`);
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByText("A merchant role (merchant admin or merchant viewer) needs a merchant: choose one.")).toBeVisible();
    await expect(merchantField).toHaveAttribute("aria-invalid", "true");
    expect(userRowByEmail(email)).toBeUndefined();

    await merchantField.selectOption({ label: merchant.name });
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByText(`Added ${email} as merchant admin.`)).toBeVisible();
    const row = userRow(page, email);
    await expect(row.getByTestId("user-merchant")).toHaveText(merchant.name);
    expect(userRowByEmail(email)).toMatchObject({ role: "merchant-admin", merchant_id: merchant.id });
    // After the reset the role is a staff one again: no Merchant choice.
    await expect(merchantField).toHaveCount(0);

    // A merchant user's role select offers merchant roles only, in words; a staff user's staff roles.
    const options = (who: string) => userRow(page, who).getByLabel(`Role of ${who}`).locator("option");
    await expect(options(email)).toHaveText(["merchant admin", "merchant viewer"]);
    const staffUser = await createUser("viewer");
    await page.reload();
    await expect(options(staffUser.email)).toHaveText(["admin", "support", "viewer"]);

    // The switcher's merchant narrows the list; the add form starts with that merchant.
    await page.goto(`/users?merchant=${merchant.id}`);
    await expect(userRow(page, email)).toBeVisible();
    await expect(userRow(page, otherUser.email)).toHaveCount(0);
    await expect(userRow(page, admin.email)).toHaveCount(0);
    await form.getByLabel("Role", { exact: true }).selectOption({ label: "merchant viewer" });
    await expect(form.getByLabel("Merchant", { exact: true })).toHaveValue(String(merchant.id));
  });

  test("a merchant admin adds a merchant viewer into their own merchant, whatever a hostile form says, and no staff role", async ({
    page,
  }) => {
    const own = await seedMerchant();
    const other = await seedMerchant();
    const merchantAdmin = await createUser("merchant-admin", "", own.id);
    await signIn(page, merchantAdmin);
    await page.goto("/users");
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
    // No Merchant column, no merchant choice, no other merchant's name.
    await expect(page.getByRole("columnheader", { name: "Merchant" })).toHaveCount(0);
    await expect(page.getByText(other.name)).toHaveCount(0);
    const form = page.getByRole("form", { name: "Add a user" });
    await expect(form.getByLabel("Merchant", { exact: true })).toHaveCount(0);
    await expect(form.getByLabel("Role", { exact: true }).locator("option")).toHaveText(["merchant admin", "merchant viewer"]);

    const email = `mviewer-${uniqueTag(4)}@e2e.test`;
    await form.getByLabel("Email", { exact: true }).fill(email);
    await form.getByLabel("Password", { exact: true }).fill(`A good long password ${uniqueTag(6)}`);
    await form.getByLabel("Role", { exact: true }).selectOption({ label: "merchant viewer" });
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByText(`Added ${email} as merchant viewer.`)).toBeVisible();
    await expect(userRow(page, email)).toBeVisible();
    expect(userRowByEmail(email)).toMatchObject({ role: "merchant-viewer", merchant_id: own.id });

    // A hostile form naming another merchant: the user is still theirs.
    const hostile = `hostile-${uniqueTag(4)}@e2e.test`;
    const res = await callAction(page, "/users", "addUser", {
      email: hostile,
      name: "",
      password: `A good long password ${uniqueTag(6)}`,
      role: "merchant-viewer",
      merchantId: String(other.id),
    });
    expect(res.text).toContain(`Added ${hostile} as merchant viewer.`);
    expect(userRowByEmail(hostile)).toMatchObject({ role: "merchant-viewer", merchant_id: own.id });

    // A staff role: refused, nothing added.
    for (const role of ["admin", "support", "viewer"]) {
      const staff = `staff-${uniqueTag(4)}@e2e.test`;
      const refused = await callAction(page, "/users", "addUser", {
        email: staff,
        name: "",
        password: `A good long password ${uniqueTag(6)}`,
        role,
      });
      expect(refused.text).toContain("You can add merchant admins and merchant viewers only");
      expect(userRowByEmail(staff)).toBeUndefined();
    }

    // An email that belongs to someone elsewhere (here a staff user): refused without saying so.
    const someoneElse = await createUser("support");
    const taken = await callAction(page, "/users", "addUser", {
      email: someoneElse.email,
      name: "",
      password: `A good long password ${uniqueTag(6)}`,
      role: "merchant-viewer",
    });
    expect(taken.text).toContain("This email cannot be used for a new user.");
    expect(taken.text).not.toContain("already exists");
    expect(userRowByEmail(someoneElse.email)).toMatchObject({ role: "support", merchant_id: null });
  });

  test("a merchant admin changes and disables their merchant's users, never another merchant's, a staff user or themselves", async ({
    page,
  }) => {
    const own = await seedMerchant();
    const other = await seedMerchant();
    const merchantAdmin = await createUser("merchant-admin", "", own.id);
    const colleague = await createUser("merchant-viewer", "", own.id);
    const stranger = await createUser("merchant-viewer", "", other.id);
    const staff = await createUser("viewer");
    await signIn(page, merchantAdmin);
    await page.goto("/users");

    await expect(userRow(page, colleague.email)).toBeVisible();
    await expect(userRow(page, stranger.email)).toHaveCount(0);
    await expect(userRow(page, staff.email)).toHaveCount(0);
    await expect(userRow(page, merchantAdmin.email).getByLabel(`Role of ${merchantAdmin.email}`)).toBeDisabled();
    await expect(userRow(page, merchantAdmin.email).getByRole("button", { name: /Disable/ })).toHaveCount(0);

    // Within their merchant: a role change and a disable.
    const row = userRow(page, colleague.email);
    await row.getByLabel(`Role of ${colleague.email}`).selectOption({ label: "merchant admin" });
    await row.getByRole("button", { name: `Save role of ${colleague.email}` }).click();
    await expect(page.getByText(`${colleague.email} is now merchant admin.`)).toBeVisible();
    expect(userRowByEmail(colleague.email)!.role).toBe("merchant-admin");
    await row.getByRole("button", { name: `Disable ${colleague.email}` }).click();
    await page.getByRole("dialog", { name: `Disable ${colleague.email}?` }).getByRole("button", { name: "Disable user" }).click();
    await expect(page.getByText(`${colleague.email} is disabled and signed out everywhere.`)).toBeVisible();
    expect(userRowByEmail(colleague.email)!.disabled_at).not.toBeNull();

    // A merchant user cannot become staff.
    const toStaff = await callAction(page, "/users", "changeUserRole", { userId: String(colleague.id), role: "admin" });
    expect(toStaff.text).toContain("a merchant's account cannot become staff");
    expect(userRowByEmail(colleague.email)!.role).toBe("merchant-admin");

    // Another merchant's user and a staff user are not found; nothing changes.
    const strangerBefore = userRowByEmail(stranger.email);
    const staffBefore = userRowByEmail(staff.email);
    for (const target of [stranger, staff]) {
      const promote = await callAction(page, "/users", "changeUserRole", { userId: String(target.id), role: "merchant-admin" });
      expect(promote.text).toContain("That user no longer exists. Reload the page.");
      const disable = await callAction(page, "/users", "disableUser", { userId: String(target.id) });
      expect(disable.text).toContain("That user no longer exists. Reload the page.");
    }
    expect(userRowByEmail(stranger.email)).toEqual(strangerBefore);
    expect(userRowByEmail(staff.email)).toEqual(staffBefore);

    // Not themselves either.
    const self = await callAction(page, "/users", "disableUser", { userId: String(merchantAdmin.id) });
    expect(self.text).toContain("You cannot disable your own account.");
    expect(userRowByEmail(merchantAdmin.email)!.disabled_at).toBeNull();
  });
});
