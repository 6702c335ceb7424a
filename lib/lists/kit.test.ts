import { describe, expect, it } from "vitest";
import { clampPage } from "./kit";
import { attemptList, auditList, deliveryList, terminalList, transactionList } from "./lists";
import { formatRelative } from "./time";

describe("a list's URL parameters", () => {
  it("read the URL, with defaults for missing and bad values", () => {
    expect(terminalList.load("?q=T-1&environment=sandbox&status=paired&sort=-paired_at&page=3")).toEqual({
      q: "T-1",
      environment: "sandbox",
      status: "paired",
      sort: "-paired_at",
      page: 3,
      merchant: null,
    });
    expect(terminalList.load("?environment=mars&status=maybe&sort=password&page=-3")).toEqual(terminalList.defaults);
    expect(terminalList.load({ page: ["2", "5"], q: ["a", "b"] })).toMatchObject({ page: 2, q: "a" });
    expect(terminalList.load("?page=1.5").page).toBe(1);
    expect(terminalList.load(`?q=${"x".repeat(300)}`).q).toHaveLength(100);
    // A NUL byte in the URL is dropped (Postgres can neither store nor compare one).
    expect(terminalList.load("?q=a%00b").q).toBe("ab");
    expect(transactionList.load("?q=%00").q).toBe("");
    expect(auditList.load(`?actor=${"y".repeat(300)}`).actor).toHaveLength(254);
    expect(auditList.load("?action=pairing.create").action).toBe("pairing.create");
    expect(auditList.load("?action=drop.table").action).toBe("all");
  });

  it("leave defaults out of links, keep filters and sort on page links, go to page 1 on a sort", () => {
    const values = terminalList.load("?q=ab c&environment=sandbox&sort=-environment&page=2");
    expect(terminalList.href(terminalList.defaults)).toBe("/terminals");
    expect(terminalList.pageHref(values, 3)).toBe("/terminals?q=ab+c&environment=sandbox&sort=-environment&page=3");
    expect(terminalList.pageHref(values, 1)).toBe("/terminals?q=ab+c&environment=sandbox&sort=-environment");
    // Flips the current column; another column starts in its own first direction.
    expect(terminalList.sortHref(values, "environment")).toBe("/terminals?q=ab+c&environment=sandbox&sort=environment");
    expect(terminalList.sortHref(values, "paired_at")).toBe("/terminals?q=ab+c&environment=sandbox&sort=-paired_at");
    expect(terminalList.sortHref(values, "terminal_id")).toBe("/terminals?q=ab+c&environment=sandbox");
    expect(terminalList.search(values, { page: 1 })).toBe("?q=ab+c&environment=sandbox&sort=-environment");
  });

  it("say whether a filter is in force, and make one chip per filter that removes only it", () => {
    expect(attemptList.isFiltered(attemptList.defaults)).toBe(false);
    // The sort and the page are not filters.
    expect(attemptList.isFiltered(attemptList.load("?sort=status&page=4"))).toBe(false);
    const values = attemptList.load("?q=desk&status=failed&sort=status&page=4");
    expect(attemptList.isFiltered(values)).toBe(true);
    expect(attemptList.chips(values, { status: (v) => v.toUpperCase() })).toEqual([
      { key: "q", label: "Search", value: "desk", removeHref: "/attempts?status=failed&sort=status" },
      { key: "status", label: "Outcome", value: "FAILED", removeHref: "/attempts?q=desk&sort=status" },
    ]);
    expect(attemptList.clearHref(values)).toBe("/attempts?sort=status");
    expect(attemptList.describe(values)).toEqual({ q: "desk", status: "failed", environment: "all", merchant: "", sort: "status" });
  });

  it("keep the merchant switcher's choice on every link, as no filter: no chip, and clearing the filters keeps it", () => {
    const values = attemptList.load("?merchant=7&q=desk&page=2");
    expect(values.merchant).toBe(7);
    expect(attemptList.isFiltered(attemptList.load("?merchant=7"))).toBe(false);
    expect(attemptList.chips(values).map((c) => c.key)).toEqual(["q"]);
    expect(attemptList.clearHref(values)).toBe("/attempts?merchant=7");
    expect(attemptList.pageHref(values, 3)).toBe("/attempts?q=desk&merchant=7&page=3");
    expect(attemptList.sortHref(values, "status")).toBe("/attempts?q=desk&merchant=7&sort=status");
    expect(attemptList.describe(values).merchant).toBe("7");
    for (const bad of ["0", "-1", "x", "1.5", "9999999999"]) expect(attemptList.load(`?merchant=${bad}`).merchant).toBeNull();
  });

  it("read a keyset list's cursor, keep it off every other link, and make the Next and Previous links", () => {
    const values = transactionList.load("?q=till&status=open&after=1732270000000.42&before=1732270009999.7&sort=-updated");
    // `after` wins; a bad cursor reads as none; a numbered list has no cursor at all.
    expect([values.after, values.before]).toEqual([{ at: 1732270000000, id: 42 }, null]);
    expect(transactionList.load("?before=1732270009999.7").before).toEqual({ at: 1732270009999, id: 7 });
    for (const bad of ["x", "1.2.3", "-5.1", "1732270000000", ".4", `${"9".repeat(16)}.1`]) expect(transactionList.load(`?after=${bad}`).after, bad).toBeNull();
    expect(terminalList.load("?after=1732270000000.42")).not.toHaveProperty("after");
    expect(transactionList.keyset && deliveryList.keyset && !terminalList.keyset).toBe(true);

    // Chips, clearing, sorting and the CSV start the walk again; the page number goes too.
    expect(transactionList.chips(values).map((c) => c.removeHref)).toEqual(["/transactions?status=open&sort=-updated", "/transactions?q=till&sort=-updated"]);
    expect(transactionList.clearHref(values)).toBe("/transactions?sort=-updated");
    expect(transactionList.sortHref(values, "created")).toBe("/transactions?q=till&status=open");
    expect(transactionList.search(values, { page: 1 })).toBe("?q=till&status=open&sort=-updated");
    expect(transactionList.describe(values)).not.toHaveProperty("after");

    // Next and Previous: the filters and sort, and the one cursor.
    const at = { at: 1732260000000, id: 9 };
    expect(transactionList.cursorHref(values, "after", at)).toBe("/transactions?q=till&status=open&sort=-updated&after=1732260000000.9");
    expect(transactionList.cursorHref(values, "before", at)).toBe("/transactions?q=till&status=open&sort=-updated&before=1732260000000.9");
    expect(deliveryList.cursorHref(deliveryList.load("?verdict=rejected&page=3"), "after", at)).toBe("/webhooks?verdict=rejected&after=1732260000000.9");

    // A row's cursor is its value in the sorted column.
    const row = { id: 5, createdAt: new Date(1_000), statusChangedAt: new Date(2_000) };
    expect(transactionList.cursorOf(transactionList.load("?sort=-updated"), row)).toEqual({ at: 2_000, id: 5 });
    expect(transactionList.cursorOf(transactionList.load(""), row)).toEqual({ at: 1_000, id: 5 });
    expect(deliveryList.cursorOf(deliveryList.defaults, { id: 8, receivedAt: new Date(3_000) })).toEqual({ at: 3_000, id: 8 });
  });

  it("clamp the page to the list", () => {
    expect(clampPage(1, 0, 50)).toEqual({ page: 1, pageCount: 1 });
    expect(clampPage(9, 120, 50)).toEqual({ page: 3, pageCount: 3 });
    expect(clampPage(2, 120, 50)).toEqual({ page: 2, pageCount: 3 });
  });
});

it("relative times read as people say them", () => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0);
  const ago = (ms: number) => formatRelative(new Date(now - ms), now);
  expect(ago(10_000)).toBe("just now");
  expect(ago(-60_000)).toBe("just now");
  expect(ago(3 * 60_000)).toBe("3 min ago");
  expect(ago(2 * 3_600_000)).toBe("2 h ago");
  expect(ago(26 * 3_600_000)).toBe("yesterday");
  expect(ago(5 * 86_400_000)).toBe("5 days ago");
  expect(ago(90 * 86_400_000)).toBe("24 Aug 2026");
});
