import { expectNoSeriousViolations, expectNoSeriousViolationsInSchemes } from "./axe";
import type { Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { callAction } from "./actions";
import { createUser, expect, signIn, test } from "./fixtures";
import { auditRows, userByEmail } from "./seed";

// The admin is the shared session (asRole); the users it changes are each test's own.

function auditFor(action: string, userId: number) {
  return auditRows({ action, targetType: "user", targetId: userId });
}

const unique = () => randomBytes(4).toString("hex");

/** The Users table row of one email. */
const userRow = (page: Page, email: string) => page.getByTestId("user-row").filter({ hasText: email });

test.describe("users (admin)", () => {
  test("an admin adds a user: stored with a scrypt hash, audited, and listed", async ({ page, asRole }) => {
    const admin = await asRole("admin");
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();

    const email = `new-${unique()}@e2e.test`;
    const password = `Correct horse ${unique()} battery`;
    const form = page.getByRole("form", { name: "Add a user" });
    await form.getByLabel("Email", { exact: true }).fill(email.toUpperCase());
    await form.getByLabel("Name", { exact: true }).fill("Nora New");
    await form.getByLabel("Password", { exact: true }).fill(password);
    await form.getByLabel("Role", { exact: true }).selectOption("support");
    await form.getByRole("button", { name: "Add user" }).click();

    await expect(page.getByText(`Added ${email} as support.`)).toBeVisible();
    // Listed: the list is long (it pages), so found by its search.
    await page.getByRole("search", { name: "Filter users" }).getByLabel("Search").fill(email);
    await expect(userRow(page, email)).toContainText("Nora New");
    // The form is cleared for the next user.
    await expect(form.getByLabel("Email", { exact: true })).toHaveValue("");

    const row = await userByEmail(email);
    expect(row).toMatchObject({ email, name: "Nora New", role: "support", disabledAt: null });
    expect(row!.passwordHash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(row!.passwordHash).not.toContain(password);
    const audit = await auditFor("user.create", row!.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, actorEmail: admin.email });
    expect(JSON.parse(audit[0]!.details!)).toEqual({ email, name: "Nora New", role: "support" });
    expect(audit[0]!.details).not.toContain(password);

    // The new user can sign in with that password.
    const ctx = await page.context().browser()!.newContext();
    await signIn(await ctx.newPage(), { email, password });
    await ctx.close();
  });

  test("a duplicate email and a weak password are refused inline and create nothing", async ({ page, asRole }) => {
    // The page lists every user the suite made so far: its scans (light and dark) take long on a busy machine.
    test.slow();
    await asRole("admin");
    const existing = await createUser("viewer");
    await page.goto("/users");
    const form = page.getByRole("form", { name: "Add a user" });
    const emailField = form.getByLabel("Email", { exact: true });
    const passwordField = form.getByLabel("Password", { exact: true });
    const existingBefore = await userByEmail(existing.email);

    await emailField.fill(existing.email);
    await passwordField.fill(`A good long password ${unique()}`);
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByText(`A user with the email ${existing.email} already exists.`)).toBeVisible();
    await expect(emailField).toHaveAttribute("aria-invalid", "true");
    // What was typed stays, to be corrected.
    await expect(emailField).toHaveValue(existing.email);

    const fresh = `weak-${unique()}@e2e.test`;
    await emailField.fill(fresh);
    await passwordField.fill("short");
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByText("Password must be at least 12 characters.")).toBeVisible();
    await expect(passwordField).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByText(/already exists/)).toHaveCount(0);
    await expectNoSeriousViolationsInSchemes(page, "users page, the add-user form with errors");

    await emailField.fill("not-an-email");
    await passwordField.fill(`A good long password ${unique()}`);
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();

    // None of the three was created (the other worker adds users meanwhile: no global count).
    expect(await userByEmail(fresh)).toBeUndefined();
    expect(await userByEmail("not-an-email")).toBeUndefined();
    expect(await userByEmail(existing.email)).toEqual(existingBefore);
    expect(await auditFor("user.create", existing.id)).toHaveLength(0);
  });

  test("an admin changes a role: saved, audited, and the session stays", async ({ page, asRole }) => {
    const admin = await asRole("admin");
    const target = await createUser("viewer");
    await page.goto(`/users?q=${target.email}`);
    const row = userRow(page, target.email);
    const before = (await userByEmail(target.email))!;

    await row.getByLabel(`Role of ${target.email}`).selectOption("support");
    await row.getByRole("button", { name: `Save role of ${target.email}` }).click();
    await expect(page.getByText(`${target.email} is now support.`)).toBeVisible();
    await expect(row.getByLabel(`Role of ${target.email}`)).toHaveValue("support");

    const after = (await userByEmail(target.email))!;
    expect(after.role).toBe("support");
    // Roles are read on every request: no need to end the user's sessions.
    expect(after.sessionVersion).toBe(before.sessionVersion);
    const audit = await auditFor("user.role_change", target.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(admin.id);
    expect(JSON.parse(audit[0]!.details!)).toEqual({ email: target.email, from: "viewer", to: "support" });
  });

  test("an admin cannot disable or demote themselves", async ({ page, asRole }) => {
    const admin = await asRole("admin");
    await page.goto(`/users?q=${admin.email}`);
    const row = userRow(page, admin.email);
    await expect(row).toContainText("(you)");
    await expect(row.getByLabel(`Role of ${admin.email}`)).toBeDisabled();
    await expect(row.getByRole("button", { name: /Disable/ })).toHaveCount(0);

    // The server refuses too, whatever the page shows.
    const demote = await callAction(page, "/users", "changeUserRole", { userId: String(admin.id), role: "viewer" });
    expect(demote.text).toContain("You cannot change your own role.");
    const disable = await callAction(page, "/users", "disableUser", { userId: String(admin.id) });
    expect(disable.text).toContain("You cannot disable your own account.");
    expect(await userByEmail(admin.email)).toMatchObject({ role: "admin", disabledAt: null });
  });

  test("disabling a user ends their open session and stops their sign-in; enabling lets them back", async ({ page, browser, asRole }) => {
    await asRole("admin");
    // The user disabled is this test's own, signed in through the form.
    const support = await createUser("support");

    // The support user is signed in, in another browser.
    const supportCtx = await browser.newContext();
    const supportPage = await supportCtx.newPage();
    await signIn(supportPage, support);
    await supportPage.goto("/terminals");
    await expect(supportPage.getByRole("heading", { level: 1, name: "Terminals" })).toBeVisible();

    await page.goto(`/users?q=${support.email}`);
    const row = userRow(page, support.email);
    const before = (await userByEmail(support.email))!;
    await row.getByRole("button", { name: `Disable ${support.email}` }).click();
    const dialog = page.getByRole("dialog", { name: `Disable ${support.email}?` });
    await expect(dialog).toBeVisible();
    // The dialog alone: the page under it (every user) is scanned by the test above.
    await expectNoSeriousViolations(page, "disable dialog", { include: '[role="dialog"]' });
    await dialog.getByRole("button", { name: "Disable user" }).click();
    await expect(page.getByText(`${support.email} is disabled and signed out everywhere.`)).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText("disabled");

    const after = (await userByEmail(support.email))!;
    expect(after.disabledAt).not.toBeNull();
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await auditFor("user.disable", support.id)).toHaveLength(1);

    // Their open session ends at the next navigation…
    await supportPage.goto("/terminals");
    await expect(supportPage).toHaveURL(/\/login/);
    // …and they cannot sign in again.
    await supportPage.getByLabel("Email").fill(support.email);
    await supportPage.getByLabel("Password").fill(support.password);
    await supportPage.getByRole("button", { name: "Sign in" }).click();
    await expect(supportPage.getByTestId("login-error")).toHaveText("Email or password is incorrect");
    await expect(supportPage).toHaveURL(/\/login/);

    // Enabled again, they can sign in.
    await row.getByRole("button", { name: `Enable ${support.email}` }).click();
    await page.getByRole("dialog", { name: `Enable ${support.email}?` }).getByRole("button", { name: "Enable user" }).click();
    await expect(page.getByText(`${support.email} is enabled and can sign in again.`)).toBeVisible();
    expect((await userByEmail(support.email))!.disabledAt).toBeNull();
    expect(await auditFor("user.enable", support.id)).toHaveLength(1);
    await signIn(supportPage, support);
    await supportCtx.close();
  });
});

test.describe("users (not admin)", () => {
  for (const role of ["viewer", "support"] as const) {
    test(`a ${role} has no Users link, /users says Not allowed, and the actions refuse`, async ({ page, asRole }) => {
      const user = await asRole(role);
      const victim = await createUser("viewer");
      await page.goto("/");
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect(nav.getByRole("link", { name: "Terminals" })).toBeVisible();
      await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);

      await page.goto("/users");
      await expect(page.getByRole("heading", { level: 1, name: "Not allowed" })).toBeVisible();
      await expect(page.getByText(`Your role (${role}) cannot manage users.`)).toBeVisible();

      const email = `sneaky-${unique()}@e2e.test`;
      const add = await callAction(page, "/users", "addUser", {
        email,
        name: "",
        password: `A good long password ${unique()}`,
        role: "admin",
      });
      expect(add.text).toContain(`Your role (${role}) cannot manage users.`);
      expect(await userByEmail(email)).toBeUndefined();
      const promote = await callAction(page, "/users", "changeUserRole", { userId: String(user.id), role: "admin" });
      expect(promote.text).toContain(`Your role (${role}) cannot manage users.`);
      const disable = await callAction(page, "/users", "disableUser", { userId: String(victim.id) });
      expect(disable.text).toContain(`Your role (${role}) cannot manage users.`);
      expect((await userByEmail(user.email))!.role).toBe(role);
      expect((await userByEmail(victim.email))!.disabledAt).toBeNull();
    });
  }
});
