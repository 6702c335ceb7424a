import type { Page } from "@playwright/test";
import { randomBytes, randomUUID } from "node:crypto";
import { SEARCH_DEBOUNCE_MS } from "../lib/lists/search";
import { appDb, createUser, expect, signIn, test, type TestUser } from "./fixtures";
import { defaultMerchantId, E2E_MERCHANT, seedMerchant } from "./seed";

/**
 * The list kit: filters that apply as they change and show as removable chips, Back, sortable
 * columns, relative times, CSV export of the filtered rows, 390 px (on the terminals, attempts
 * and audit lists); and on every list (terminals, attempts, audit, registers, locations,
 * transactions, webhook deliveries, users, merchants) the URL as the state: a filter narrows and
 * survives a reload, pages move (keyset lists forward and back), a bookmark opens the same view.
 * Every test seeds its own rows under a unique prefix and filters on it (another worker shares
 * the database).
 */

const tag = () => randomBytes(3).toString("hex");
const MIN = 60_000;
/** A pairing name a spreadsheet would run as a formula, with a quote and a comma. */
const EVIL = (t: string) => `=HYPERLINK("http://evil.example/${t}","click"), "Till"`;

/** Six terminals `<prefix>-1…6`: 1–4 paired (4 at the EVIL name), 5 and 6 never paired; 3 and 6 sandbox. */
async function seed(creator: TestUser) {
  const t = tag();
  const prefix = `KIT${t}`.toUpperCase();
  const db = appDb();
  const now = Date.now();
  const refs: number[] = [];
  const merchant = await defaultMerchantId();
  db.transaction(() => {
    for (let i = 1; i <= 6; i++) {
      const env = i % 3 === 0 ? "sandbox" : "production";
      const ref = Number(
        db
          .prepare("insert into terminals (environment, terminal_id, merchant_id) values (?, ?, ?)")
          .run(env, `${prefix}-${i}`, merchant).lastInsertRowid,
      );
      refs.push(ref);
      if (i <= 4) {
        // Paired 3, 10, 20, 40 minutes ago: terminal 1 the newest.
        const minutes = [3, 10, 20, 40][i - 1]!;
        db.prepare(
          `insert into pairings (terminal_ref, merchant_id, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id, created_at)
           values (?, ?, ?, ?, ?, 0, 'active', ?, ?)`,
        ).run(ref, merchant, `pc_${randomUUID()}`, i === 4 ? EVIL(t) : `${prefix} till ${i}`, `cl_${t}`, creator.id, now - minutes * MIN);
      }
    }
  })();
  return { t, prefix, refs, now };
}

const rows = (page: Page) => page.getByTestId("terminal-row");
/** The terminal ids shown, in order (retried until the re-rendered page shows them). */
const expectIds = (page: Page, expected: string[]) => expect(rows(page).locator("td:first-child")).toHaveText(expected);
const filters = (page: Page) => page.getByRole("search", { name: "Filter terminals" });
const chips = (page: Page) => page.getByTestId("filter-chip");

/** Parses RFC 4180 text (quoted fields, doubled quotes, CRLF) into rows of fields. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      out.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  expect(field, "the file ends with CRLF").toBe("");
  return out;
}

test("filters apply as they change, show as chips that remove them, and Back restores them", async ({ page }) => {
  const viewer = await createUser("viewer");
  const { prefix } = await seed(viewer);
  await signIn(page, viewer);
  await page.goto(`/terminals?sort=-terminal_id&page=3`);

  // Typing searches once typing pauses; no button. The page goes back to 1, the sort stays.
  await filters(page).getByLabel("Search").pressSequentially(prefix, { delay: 20 });
  await expect(page).toHaveURL(new RegExp(`[?&]q=${prefix}(&|$)`));
  await expect(page).not.toHaveURL(/page=/);
  await expect(page).toHaveURL(/sort=-terminal_id/);
  await expectIds(page, [6, 5, 4, 3, 2, 1].map((i) => `${prefix}-${i}`));
  await expect(chips(page)).toHaveCount(1);
  await expect(chips(page).first()).toHaveText(`Search: ${prefix}`);

  // A select applies at once.
  await filters(page).getByLabel("Status").selectOption("paired");
  await expect(page).toHaveURL(/status=paired/);
  await expectIds(page, [4, 3, 2, 1].map((i) => `${prefix}-${i}`));
  await expect(chips(page)).toHaveCount(2);
  await expect(page.getByRole("link", { name: "Remove the Status filter" })).toBeVisible();

  await filters(page).getByLabel("Environment").selectOption("sandbox");
  await expect(page).toHaveURL(/environment=sandbox/);
  await expectIds(page, [`${prefix}-3`]);
  await expect(chips(page)).toHaveCount(3);

  // Removing a chip removes that filter only.
  await page.getByRole("link", { name: "Remove the Status filter" }).click();
  await expect(page).not.toHaveURL(/status=/);
  await expect(page).toHaveURL(/environment=sandbox/);
  await expectIds(page, [`${prefix}-6`, `${prefix}-3`]);
  await expect(filters(page).getByLabel("Status")).toHaveValue("all");
  await expect(chips(page)).toHaveCount(2);

  // Back: the status filter again, in the list, the chips and the form.
  await page.goBack();
  await expect(page).toHaveURL(/status=paired/);
  await expectIds(page, [`${prefix}-3`]);
  await expect(filters(page).getByLabel("Status")).toHaveValue("paired");
  await expect(chips(page)).toHaveCount(3);
  // Back again: before the environment was chosen.
  await page.goBack();
  await expect(page).not.toHaveURL(/environment=/);
  await expect(filters(page).getByLabel("Environment")).toHaveValue("all");
  await expectIds(page, [4, 3, 2, 1].map((i) => `${prefix}-${i}`));

  // "Clear filters" drops every filter but keeps the sort.
  await page.getByRole("link", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(/\/terminals\?sort=-terminal_id$/);
  await expect(chips(page)).toHaveCount(0);
  await expect(filters(page).getByLabel("Search")).toHaveValue("");
});

test("a link followed while a search still waits wins: the search does not pull the page back", async ({ page }) => {
  const viewer = await createUser("viewer");
  const { prefix } = await seed(viewer);
  await signIn(page, viewer);
  await page.goto("/terminals");
  await expect(page.getByRole("heading", { level: 1, name: "Terminals" })).toBeVisible();

  // Type, then follow a sidebar link at once, inside the search's pause, to a page that is slow
  // to answer (held back here for longer than the pause): the search's pause ends while the
  // navigation is still under way.
  let held = 0;
  await page.route(
    (url) => url.pathname === "/attempts",
    async (route) => {
      held++;
      await new Promise((r) => setTimeout(r, SEARCH_DEBOUNCE_MS * 4));
      // A prefetch of the page may still be held when the test moves on.
      await route.continue().catch(() => undefined);
    },
  );
  await filters(page).getByLabel("Search").fill(prefix);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pairing attempts" }).click();
  await expect(page).toHaveURL("/attempts");
  expect(held).toBeGreaterThan(0);
  await expect(page.getByRole("heading", { level: 1, name: "Pairing attempts" })).toBeVisible();
  // A negative: the dropped search would have landed one pause after the typing. Wait it out, twice over.
  await page.waitForTimeout(SEARCH_DEBOUNCE_MS * 3);
  await expect(page).toHaveURL("/attempts");

  // Typed and left alone, the search applies.
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await page.goto("/terminals");
  await filters(page).getByLabel("Search").fill(prefix);
  await expect(page).toHaveURL(`/terminals?q=${prefix}`);
  await expect(rows(page)).toHaveCount(6);
});

test("without JavaScript the URL is still the state: a GET form, chips and sorts are links", async ({ page }) => {
  // Read over plain HTTP, as a browser without JavaScript gets it. (Such a browser sees every admin
  // page's loading.tsx skeleton, since it cannot swap in streamed content; the markup below is
  // what it would use once the page is not streamed.)
  const viewer = await createUser("viewer");
  const { prefix } = await seed(viewer);
  await signIn(page, viewer);
  const html = async (url: string) => {
    const res = await page.request.get(url);
    expect(res.status()).toBe(200);
    return res.text();
  };
  const filtered = await html(`/terminals?q=${prefix}&environment=production&sort=-paired_at`);
  // The form submits to the list with GET, keeps the sort in a hidden field, and shows Apply only
  // when scripts are off.
  expect(filtered).toMatch(/<form role="search" aria-label="Filter terminals"[^>]* action="\/terminals" method="get">/);
  expect(filtered).toContain('<input type="hidden" name="sort" value="-paired_at"/>');
  expect(filtered).toMatch(/<noscript><button[^>]*type="submit"[^>]*>Apply<\/button><\/noscript>/);
  for (const name of ["q", "environment", "status"]) expect(filtered).toContain(`name="${name}"`);
  // Chips and headers are links that keep the rest of the state.
  expect(filtered).toMatch(
    new RegExp(`aria-label="Remove the Environment filter"[^>]* href="/terminals\\?q=${prefix}&amp;sort=-paired_at"`),
  );
  expect(filtered).toContain(`href="/terminals?q=${prefix}&amp;environment=production"`); // Terminal ID header
  // What the form sends is a page of its own: production only, newest pairing first.
  const ids = (text: string) => [...text.matchAll(new RegExp(`>(${prefix}-\\d)<`, "g"))].map((m) => m[1]);
  expect(ids(filtered).sort()).toEqual([1, 2, 4, 5].map((i) => `${prefix}-${i}`));
});

test("columns sort, in the URL, and the sorted column says so", async ({ page }) => {
  const viewer = await createUser("viewer");
  const { prefix } = await seed(viewer);
  await signIn(page, viewer);
  await page.goto(`/terminals?q=${prefix}&page=2`);
  const pairedAt = page.getByRole("columnheader", { name: /Paired at/ });
  const terminalId = page.getByRole("columnheader", { name: /Terminal ID/ });
  await expect(terminalId).toHaveAttribute("aria-sort", "ascending");
  await expect(pairedAt).toHaveAttribute("aria-sort", "none");

  // Paired at: newest first on the first click, unpaired terminals last; page 1 again.
  await pairedAt.getByRole("link").click();
  await expect(page).toHaveURL(/sort=-paired_at/);
  await expect(page).not.toHaveURL(/page=/);
  await expect(pairedAt).toHaveAttribute("aria-sort", "descending");
  await expectIds(page, [1, 2, 3, 4, 5, 6].map((i) => `${prefix}-${i}`));
  await pairedAt.getByRole("link").click();
  await expect(page).toHaveURL(/sort=paired_at/);
  await expect(pairedAt).toHaveAttribute("aria-sort", "ascending");
  await expectIds(page, [4, 3, 2, 1, 5, 6].map((i) => `${prefix}-${i}`));

  // Environment: production first, terminal ids ascending within.
  await page.getByRole("columnheader", { name: /Environment/ }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=environment/);
  await expectIds(page, [1, 2, 4, 5, 3, 6].map((i) => `${prefix}-${i}`));
  // The search survived every sort.
  await expect(page).toHaveURL(new RegExp(`q=${prefix}`));

  // Attempts by outcome, audit by action.
  await page.goto("/attempts");
  await page.getByRole("columnheader", { name: /Outcome/ }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=status/);
  await expect(page.getByRole("columnheader", { name: /Outcome/ })).toHaveAttribute("aria-sort", "ascending");
  await page.goto("/audit");
  await page.getByRole("columnheader", { name: /Action/ }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=action/);
  const actions = await page.getByTestId("audit-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-action") ?? ""));
  expect(actions.length).toBeGreaterThan(0);
  expect(actions).toEqual([...actions].sort());
});

test("times read relative, the exact time on hover; long values truncate with the full text on hover", async ({ page }) => {
  const viewer = await createUser("viewer");
  const { prefix, t } = await seed(viewer);
  await signIn(page, viewer);
  await page.goto(`/terminals?q=${prefix}`);
  const row1 = rows(page).filter({ hasText: `${prefix}-1` });
  const time = row1.locator("time");
  // Seeded 3 minutes before the page was read (a slow machine may round it up to 4).
  await expect(time).toHaveText(/^[34] min ago$/);
  const iso = await time.getAttribute("datetime");
  expect(iso).toBeTruthy();
  const exact = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }).format(new Date(iso!));
  await expect(time).toHaveAttribute("title", `${exact} UTC`);
  await expect(rows(page).filter({ hasText: `${prefix}-2` }).locator("time")).toHaveText(/^1[01] min ago$/);

  // The long pairing name is cut to one line; hovering shows all of it.
  const name = rows(page).filter({ hasText: `${prefix}-4` }).getByTitle(EVIL(t));
  await expect(name).toBeVisible();
  const cut = await name.evaluate((el) => el.scrollWidth > el.clientWidth);
  expect(cut).toBe(true);
});

test("Export CSV downloads the filtered rows, quoted, formula-safe, and is audited", async ({ page }) => {
  const viewer = await createUser("viewer");
  const { prefix, t } = await seed(viewer);
  await signIn(page, viewer);
  await page.goto(`/terminals?q=${prefix}&status=paired&sort=-paired_at`);
  const shown = [1, 2, 3, 4].map((i) => `${prefix}-${i}`);
  await expectIds(page, shown);

  const link = page.getByRole("link", { name: "Export CSV" });
  await expect(link).toHaveAttribute("href", `/api/terminals/export?q=${prefix}&status=paired&sort=-paired_at`);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^terminals-\d{8}-\d{4}\.csv$/);
  const text = await (await import("node:fs/promises")).readFile((await download.path())!, "utf8");
  const csv = parseCsv(text);
  expect(csv[0]).toEqual(["terminal_id", "merchant", "environment", "status", "active_pairing", "pay_connect_id", "paired_at", "paired_by", "registers_routed"]);
  // The same rows, in the same order, as the page.
  expect(csv.slice(1).map((r) => r[0])).toEqual(shown);
  for (const r of csv.slice(1)) {
    expect(r[1]).toBe(E2E_MERCHANT);
    expect(r[3]).toBe("paired");
    expect(r[5]).toMatch(/^pc_[0-9a-f-]{36}$/);
    expect(r[7]).toBe(viewer.email);
    expect(r[6]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(r[8]).toBe("0");
  }
  // The name with a formula, quotes and a comma: one field, prefixed with an apostrophe.
  expect(csv[4]![4]).toBe(`'${EVIL(t)}`);
  expect(text).toContain(`"'=HYPERLINK(""http://evil.example/${t}"",""click""), ""Till"""`);

  const res = await page.request.get(`/api/terminals/export?q=${prefix}&environment=sandbox`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="terminals-\d{8}-\d{4}\.csv"$/);
  expect(parseCsv(await res.text()).slice(1).map((r) => r[0])).toEqual([`${prefix}-3`, `${prefix}-6`]);

  // The export is in the audit log, with its filters, under the viewer's name.
  const audited = appDb()
    .prepare("select action, details from audit_log where actor_id = ? and action = 'list.export' order by id")
    .all(viewer.id) as { action: string; details: string }[];
  expect(audited.map((a) => JSON.parse(a.details))).toEqual([
    { list: "terminals", q: prefix, environment: "all", status: "paired", merchant: "", sort: "-paired_at" },
    { list: "terminals", q: prefix, environment: "sandbox", status: "all", merchant: "", sort: "terminal_id" },
  ]);
  // And it reads in words in the audit log.
  await page.goto(`/audit?actor=${encodeURIComponent(viewer.email)}&action=list.export`);
  await expect(page.getByTestId("audit-row").first()).toContainText("List exported (CSV)");
});

test("attempts and audit CSVs carry the page's filters", async ({ page }) => {
  const viewer = await createUser("viewer");
  const t = tag();
  const insert = appDb().prepare(
    `insert into pairing_attempts (request_key, merchant_id, environment, name, status, reason, error_code, created_by_id, created_at)
     values (?, ?, 'sandbox', ?, ?, ?, ?, ?, ?)`,
  );
  const merchant = await defaultMerchantId();
  const now = Date.now();
  insert.run(randomUUID(), merchant, `@desk ${t}`, "failed", `Rejected, "twice" (${t})`, "otp_rejected", viewer.id, now - 2 * MIN);
  insert.run(randomUUID(), merchant, `Bar ${t}`, "succeeded", null, null, viewer.id, now - MIN);
  insert.run(randomUUID(), merchant, `Kiosk ${t}`, "failed", `Timed out (${t})`, "timeout", viewer.id, now);
  await signIn(page, viewer);

  await page.goto(`/attempts?q=${t}&status=failed`);
  await expect(page.getByTestId("attempt-row")).toHaveCount(2);
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(href).toBe(`/api/attempts/export?q=${t}&status=failed`);
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  const csv = parseCsv(await res.text());
  expect(csv[0]).toEqual(["id", "created_at", "created_by", "merchant", "environment", "name", "status", "reason", "error_code", "terminal_id", "finished_at", "recovered_at", "warning"]);
  expect(csv.slice(1).map((r) => [r[5], r[6], r[7], r[8]])).toEqual([
    [`Kiosk ${t}`, "failed", `Timed out (${t})`, "timeout"],
    [`'@desk ${t}`, "failed", `Rejected, "twice" (${t})`, "otp_rejected"],
  ]);

  // The audit log filtered by this viewer: their sign-in and the attempts export above.
  await page.goto(`/audit?actor=${encodeURIComponent(viewer.email)}`);
  const auditHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const audit = parseCsv(await (await page.request.get(auditHref!)).text());
  expect(audit[0]).toEqual(["id", "at", "actor", "merchant", "action", "action_label", "target_type", "target_id", "target", "details"]);
  const body = audit.slice(1);
  expect(body.length).toBeGreaterThanOrEqual(2);
  for (const r of body) expect(r[2]).toBe(viewer.email);
  expect(body.map((r) => r[4])).toContain("auth.sign_in");
  expect(body.find((r) => r[4] === "list.export")?.[5]).toBe("List exported (CSV)");
});

test("the CSV handlers check the session themselves", async ({ page, request }) => {
  // Signed out: no CSV (the proxy sends the browser to sign in).
  const anon = await request.get("/api/terminals/export", { maxRedirects: 0 });
  expect(anon.status()).not.toBe(200);
  expect(await anon.text()).not.toContain("terminal_id");

  // A session whose user was disabled since: the handler itself answers 401, and audits nothing.
  const user = await createUser("viewer");
  await signIn(page, user);
  appDb().prepare("update users set disabled_at = ? where id = ?").run(Date.now(), user.id);
  for (const list of ["terminals", "attempts", "audit"]) {
    const res = await page.request.get(`/api/${list}/export`, { maxRedirects: 0 });
    expect(res.status(), list).toBe(401);
    expect(res.headers()["content-type"]).toContain("text/plain");
    expect(await res.text()).toContain("Sign in again");
  }
  const exports = appDb().prepare("select count(*) n from audit_log where actor_id = ? and action = 'list.export'").get(user.id) as { n: number };
  expect(exports.n).toBe(0);
});

test("the audit log names actions in words and links their targets", async ({ page }) => {
  const admin = await createUser("admin");
  const { prefix, refs } = await seed(admin);
  const pairingId = appDb().prepare("select id from pairings where terminal_ref = ?").pluck().get(refs[1]) as number;
  const actor = `kit-${tag()}@e2e.test`;
  const insert = appDb().prepare("insert into audit_log (actor_email, action, target_type, target_id) values (?, ?, ?, ?)");
  insert.run(actor, "pairing.create", "pairing", String(pairingId));
  insert.run(actor, "user.disable", "user", String(admin.id));
  insert.run(actor, "pairing.unpair", "terminal", "987654321");
  await signIn(page, admin);
  await page.goto(`/audit?actor=${actor}`);
  const auditRows = page.getByTestId("audit-row");
  await expect(auditRows).toHaveCount(3);
  const created = auditRows.filter({ hasText: "Pairing created" });
  await expect(created.getByRole("link", { name: `Pairing “${prefix} till 2” on ${prefix}-2` })).toHaveAttribute("href", `/terminals/${refs[1]}`);
  const disabled = auditRows.filter({ hasText: "User disabled" });
  await expect(disabled.getByRole("link", { name: admin.email })).toHaveAttribute("href", "/users");
  // A target that no longer exists is named, not linked.
  const gone = auditRows.filter({ hasText: "Terminal unpaired" });
  await expect(gone).toContainText("Terminal #987654321");
  await expect(gone.getByRole("link")).toHaveCount(0);
  // The filter offers the readable names.
  await expect(page.getByLabel("Action").locator("option", { hasText: "Credentials revealed" })).toHaveAttribute("value", "pairing.reveal");
});

test("at 390 px the lists fit the phone: nothing scrolls sideways, neither the page nor a card", async ({ page }) => {
  const viewer = await createUser("viewer");
  const { prefix } = await seed(viewer);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, viewer);
  for (const path of [`/terminals?q=${prefix}&status=paired`, "/attempts", "/audit"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // The shell's sidebar is the shell's business (it collapses on a phone); if it still takes a
    // fixed column here, set it aside so that what is measured is the list page itself.
    await page.evaluate(() => {
      const aside = document.querySelector("aside");
      if (aside && aside.getBoundingClientRect().width > window.innerWidth / 3) aside.style.display = "none";
    });
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .filter((el) => !el.closest('[role="region"]'))
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`.slice(0, 120)),
    );
    expect(wide, `${path}: wider than the phone`).toEqual([]);
    const { page: pageWidth, viewport } = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
    }));
    expect(pageWidth, `${path} scrolls sideways`).toBeLessThanOrEqual(viewport);
  }
  // The terminal table stacks its rows (issue 16 item 10): it fits its card, which has nothing
  // to scroll sideways (it did scroll, a table wider than the phone, before); the page neither.
  await page.goto(`/terminals?q=${prefix}`);
  const region = page.getByRole("region", { name: "Terminals" });
  const scrolls = await region.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
  expect(scrolls).toBe(false);
  await region.evaluate((el) => el.scrollBy(200, 0));
  expect(await region.evaluate((el) => el.scrollLeft)).toBe(0);
  expect(await page.evaluate(() => window.scrollX)).toBe(0);
});

// ---- every list: the URL is the state ----

/** How a list's rows are told apart: an attribute of the row, or a pattern in its text. */
type RowKey = { attr: string } | { text: string };

type ListCase = {
  name: string;
  /** The filter bar's name, and the pages' navigation ("Pagination", or "Pages of …" by keyset). */
  filters: string;
  pages: string;
  row: string;
  key: RowKey;
  pageSize: number;
  keyset: boolean;
  /**
   * Seeds the rows: the URL that narrows the list to them (a bookmark), their keys in the list's
   * order, and a filter of the bar that narrows them further (its label, value, URL parameter,
   * chip and the keys left).
   */
  seed: (admin: TestUser) => Promise<{
    url: string;
    keys: string[];
    narrow: { label: string; value: string; param: string; chip: string; keys: string[] };
  }>;
};

const pad = (i: number) => String(i).padStart(3, "0");
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** Every fifth of 1…n: the rows a filter narrows to. */
const fifth = (i: number) => i % 5 === 0;
const insert = (sql: string, ...args: unknown[]) => Number(appDb().prepare(sql).run(...args).lastInsertRowid);

/** A merchant of the test's own with a paired terminal, for the lists read through the switcher. */
async function merchantWithTerminal(t: string, creator: TestUser) {
  const merchant = await seedMerchant(`LK ${t} payments`);
  const terminal = insert("insert into terminals (environment, terminal_id, merchant_id, currency) values ('sandbox', ?, ?, 'EUR')", `LK-${t}`.toUpperCase(), merchant.id);
  const pairing = insert(
    `insert into pairings (terminal_ref, merchant_id, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id)
     values (?, ?, ?, ?, ?, 0, 'active', ?)`,
    terminal,
    merchant.id,
    `pc_${randomUUID()}`,
    `LK ${t} till`,
    `cl_${t}`,
    creator.id,
  );
  return { merchant, terminal, pairing };
}

const LISTS: ListCase[] = [
  {
    name: "terminals",
    filters: "Filter terminals",
    pages: "Pagination",
    row: "terminal-row",
    key: { text: "LK[0-9A-F]+-\\d{3}" },
    pageSize: 50,
    keyset: false,
    seed: async () => {
      const t = tag().toUpperCase();
      const merchant = await defaultMerchantId();
      const id = (i: number) => `LK${t}-${pad(i)}`;
      appDb().transaction(() => {
        for (const i of upTo(55)) insert("insert into terminals (environment, terminal_id, merchant_id) values (?, ?, ?)", fifth(i) ? "sandbox" : "production", id(i), merchant);
      })();
      return {
        url: `/terminals?q=LK${t}`,
        keys: upTo(55).map(id),
        narrow: { label: "Environment", value: "sandbox", param: "environment", chip: "Environment", keys: upTo(55).filter(fifth).map(id) },
      };
    },
  },
  {
    name: "attempts",
    filters: "Filter pairing attempts",
    pages: "Pagination",
    row: "attempt-row",
    key: { text: "LK [0-9a-f]+ attempt \\d{3}" },
    pageSize: 50,
    keyset: false,
    seed: async (admin) => {
      const t = tag();
      const merchant = await defaultMerchantId();
      const name = (i: number) => `LK ${t} attempt ${pad(i)}`;
      const now = Date.now();
      appDb().transaction(() => {
        for (const i of upTo(55)) {
          insert(
            `insert into pairing_attempts (request_key, merchant_id, environment, name, status, created_by_id, created_at) values (?, ?, 'sandbox', ?, ?, ?, ?)`,
            randomUUID(),
            merchant,
            name(i),
            fifth(i) ? "failed" : "succeeded",
            admin.id,
            now - (55 - i) * 1000,
          );
        }
      })();
      const newest = upTo(55).reverse();
      return {
        url: `/attempts?q=${encodeURIComponent(`LK ${t}`)}`,
        keys: newest.map(name),
        narrow: { label: "Outcome", value: "failed", param: "status", chip: "Outcome", keys: newest.filter(fifth).map(name) },
      };
    },
  },
  {
    name: "audit",
    filters: "Filter the audit log",
    pages: "Pagination",
    row: "audit-row",
    key: { text: "lka-[0-9a-f]+-\\d{3}@e2e\\.test" },
    pageSize: 50,
    keyset: false,
    seed: async () => {
      const t = tag();
      const actor = (i: number) => `lka-${t}-${pad(i)}@e2e.test`;
      const now = Date.now();
      appDb().transaction(() => {
        for (const i of upTo(55)) {
          insert("insert into audit_log (actor_email, action, at) values (?, ?, ?)", actor(i), fifth(i) ? "user.create" : "pairing.create", now - (55 - i) * 1000);
        }
      })();
      const newest = upTo(55).reverse();
      return {
        url: `/audit?actor=lka-${t}`,
        keys: newest.map(actor),
        narrow: { label: "Action", value: "user.create", param: "action", chip: "Action", keys: newest.filter(fifth).map(actor) },
      };
    },
  },
  {
    name: "registers",
    filters: "Filter registers",
    pages: "Pagination",
    row: "register-row",
    key: { attr: "data-register" },
    pageSize: 40,
    keyset: false,
    seed: async () => {
      const t = tag();
      const merchant = await seedMerchant(`LK ${t} registers`);
      const location = (name: string) => insert("insert into locations (merchant_id, name, time_zone) values (?, ?, 'UTC')", merchant.id, name);
      const register = (locationId: number, name: string) =>
        insert("insert into registers (register_id, merchant_id, location_id, kind, name) values (?, ?, ?, 'physical', ?)", randomUUID(), merchant.id, locationId, name);
      const a = location(`LK ${t} A shop`);
      const b = location(`LK ${t} B shop`);
      const ids = appDb().transaction(() => [...upTo(105).map((i) => register(a, `R${pad(i)}`)), ...upTo(3).map((i) => register(b, `S${pad(i)}`))])();
      return {
        url: `/registers?merchant=${merchant.id}`,
        keys: ids.map(String),
        narrow: { label: "Location", value: String(b), param: "location", chip: "Location", keys: ids.slice(105).map(String) },
      };
    },
  },
  {
    name: "locations",
    filters: "Filter locations",
    pages: "Pagination",
    row: "location-row",
    key: { text: "LK [0-9a-f]+ (shop \\d{3}|old \\d{3})" },
    pageSize: 50,
    keyset: false,
    seed: async () => {
      const t = tag();
      const merchant = await seedMerchant(`LK ${t} locations`);
      const shop = (i: number) => `LK ${t} shop ${pad(i)}`;
      const old = (i: number) => `LK ${t} old ${pad(i)}`;
      appDb().transaction(() => {
        for (const i of upTo(55)) insert("insert into locations (merchant_id, name, time_zone) values (?, ?, 'UTC')", merchant.id, shop(i));
        for (const i of upTo(3)) insert("insert into locations (merchant_id, name, time_zone, archived_at) values (?, ?, 'UTC', ?)", merchant.id, old(i), Date.now());
      })();
      return {
        url: `/locations?q=${encodeURIComponent(`LK ${t}`)}`,
        keys: upTo(55).map(shop),
        narrow: { label: "Archived", value: "yes", param: "archived", chip: "Archived", keys: upTo(3).map(old) },
      };
    },
  },
  {
    name: "transactions",
    filters: "Filter transactions",
    pages: "Pages of transactions",
    row: "transaction-row",
    key: { attr: "data-transaction-id" },
    pageSize: 25,
    keyset: true,
    seed: async (admin) => {
      const t = tag();
      const { merchant, terminal, pairing } = await merchantWithTerminal(t, admin);
      const provider = (i: number) => `lk-${t}-${pad(i)}`;
      const now = Date.now();
      appDb().transaction(() => {
        for (const i of upTo(30)) {
          const at = now - (30 - i) * MIN;
          insert(
            `insert into transactions (merchant_id, environment, terminal_ref, pairing_id, provider_transaction_id, kind, amount, currency, status,
               status_source, status_changed_at, last_seen_at, created_at, updated_at)
             values (?, 'sandbox', ?, ?, ?, 'charge', 1000, 'EUR', ?, 'webhook', ?, ?, ?, ?)`,
            merchant.id,
            terminal,
            pairing,
            provider(i),
            fifth(i) ? "DECLINED" : "SUCCESS",
            at,
            at,
            at,
            at,
          );
        }
      })();
      const newest = upTo(30).reverse();
      return {
        url: `/transactions?merchant=${merchant.id}`,
        keys: newest.map(provider),
        narrow: { label: "Status", value: "DECLINED", param: "status", chip: "Status", keys: newest.filter(fifth).map(provider) },
      };
    },
  },
  {
    name: "deliveries",
    filters: "Filter webhook deliveries",
    pages: "Pages of deliveries",
    row: "delivery-row",
    key: { attr: "data-delivery-id" },
    pageSize: 50,
    keyset: true,
    seed: async (admin) => {
      const t = tag();
      const { merchant, pairing } = await merchantWithTerminal(t, admin);
      const now = Date.now();
      const ids = appDb().transaction(() =>
        upTo(55).map((i) =>
          insert(
            "insert into webhook_deliveries (received_at, pairing_id, merchant_id, verdict, http_status, size_bytes) values (?, ?, ?, ?, ?, 100)",
            now - (55 - i) * 1000,
            pairing,
            merchant.id,
            fifth(i) ? "bad_signature" : "accepted",
            fifth(i) ? 403 : 200,
          ),
        ),
      )();
      const newest = upTo(55).reverse();
      return {
        url: `/webhooks?merchant=${merchant.id}`,
        keys: newest.map((i) => String(ids[i - 1])),
        narrow: { label: "Verdict", value: "bad_signature", param: "verdict", chip: "Verdict", keys: newest.filter(fifth).map((i) => String(ids[i - 1])) },
      };
    },
  },
  {
    name: "users",
    filters: "Filter users",
    pages: "Pagination",
    row: "user-row",
    key: { attr: "data-email" },
    pageSize: 50,
    keyset: false,
    seed: async () => {
      const t = tag();
      const merchant = await seedMerchant(`LK ${t} people`);
      const email = (i: number) => `lku-${t}-${pad(i)}@e2e.test`;
      appDb().transaction(() => {
        for (const i of upTo(55)) {
          // Never signs in: no password to hash.
          insert("insert into users (email, password_hash, role, merchant_id, disabled_at) values (?, 'none', 'merchant-viewer', ?, ?)", email(i), merchant.id, fifth(i) ? Date.now() : null);
        }
      })();
      return {
        url: `/users?q=lku-${t}`,
        keys: upTo(55).map(email),
        narrow: { label: "Status", value: "disabled", param: "status", chip: "Status", keys: upTo(55).filter(fifth).map(email) },
      };
    },
  },
  {
    name: "merchants",
    filters: "Filter merchants",
    pages: "Pagination",
    row: "merchant-row",
    key: { attr: "data-merchant-id" },
    pageSize: 50,
    keyset: false,
    seed: async () => {
      const t = tag();
      const ids = appDb().transaction(() =>
        upTo(55).map((i) => insert("insert into merchants (name, status) values (?, ?)", `LK ${t} merchant ${pad(i)}`, fifth(i) ? "suspended" : "active")),
      )();
      return {
        url: `/merchants?q=${encodeURIComponent(`LK ${t} merchant`)}`,
        keys: ids.map(String),
        narrow: { label: "Status", value: "suspended", param: "status", chip: "Status", keys: ids.filter((_, i) => fifth(i + 1)).map(String) },
      };
    },
  },
];

/** The keys of the rows shown, in order. */
function shownKeys(page: Page, c: ListCase): Promise<string[]> {
  return page.getByTestId(c.row).evaluateAll(
    (rows, key) =>
      rows.map((r) =>
        "attr" in key ? (r.getAttribute(key.attr) ?? "") : (new RegExp(key.text).exec(r.textContent ?? "")?.[0] ?? ""),
      ),
    c.key,
  );
}

for (const c of LISTS) {
  test(`${c.name}: a bookmark opens the view, pages move${c.keyset ? " forward and back by cursor" : ""}, a filter narrows, and a reload keeps it all`, async ({ page, asRole }) => {
    const admin = await asRole("admin");
    const s = await c.seed(admin);
    const keys = () => shownKeys(page, c);
    const first = s.keys.slice(0, c.pageSize);
    const second = s.keys.slice(c.pageSize, 2 * c.pageSize);
    const pages = page.getByRole("navigation", { name: c.pages });

    // The bookmark: this test's rows, the first page of them.
    await page.goto(s.url);
    await expect.poll(keys).toEqual(first);

    // Next: the second page, in the URL (a page number, or a cursor after the last row seen).
    await pages.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(c.keyset ? /[?&]after=\d+\.\d+(&|$)/ : /[?&]page=2(&|$)/);
    await expect.poll(keys).toEqual(second);
    const secondUrl = page.url();
    await page.reload();
    await expect.poll(keys).toEqual(second);
    // The second page's address, opened afresh in another tab, is the same view.
    const tab = await page.context().newPage();
    await tab.goto(secondUrl);
    await expect.poll(() => shownKeys(tab, c)).toEqual(second);
    await tab.close();

    // Previous: back to the first page (by a cursor before the first row seen, for a keyset list).
    await pages.getByRole("link", { name: "Previous" }).click();
    if (c.keyset) await expect(page).toHaveURL(/[?&]before=\d+\.\d+(&|$)/);
    else await expect(page).not.toHaveURL(/[?&]page=/);
    await expect.poll(keys).toEqual(first);

    // A filter narrows, from the first page again; the URL, the form and the chip say so, after a reload too.
    const bar = page.getByRole("search", { name: c.filters });
    await bar.getByLabel(s.narrow.label, { exact: true }).selectOption(s.narrow.value);
    await expect(page).toHaveURL(new RegExp(`[?&]${s.narrow.param}=${s.narrow.value}(&|$)`));
    await expect(page).not.toHaveURL(/[?&](page|after|before)=/);
    await expect.poll(keys).toEqual(s.narrow.keys);
    await page.reload();
    await expect.poll(keys).toEqual(s.narrow.keys);
    await expect(bar.getByLabel(s.narrow.label, { exact: true })).toHaveValue(s.narrow.value);
    await expect(page.getByRole("link", { name: `Remove the ${s.narrow.chip} filter` })).toBeVisible();

    // Desktop and phone: the narrowed list, and nothing wider than the phone.
    await page.screenshot({ path: `test-results/list-kit/${c.name}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await expect.poll(keys).toEqual(s.narrow.keys);
    const { scroll, viewport } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));
    expect(scroll, `${c.name} scrolls sideways at 375 px`).toBeLessThanOrEqual(viewport);
    await page.screenshot({ path: `test-results/list-kit/${c.name}-375.png`, fullPage: true });
  });
}
