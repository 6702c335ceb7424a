/**
 * Issue 8's stories, in a real browser against the real server, its poller and the built-in
 * simulator (which takes payments and sends signed webhooks): charge → approve on the simulated
 * terminal → SUCCESS on the transaction page without a reload; dropped webhooks → polling;
 * a forged webhook; duplicated and reordered webhooks; partial refund then one above what
 * remains; revert; a viewer. The database is checked after each step.
 */
import type { Page } from "@playwright/test";
import Database from "better-sqlite3";
import path from "node:path";
import { callAction } from "./actions";
import { expectNoSeriousViolations, expectNoSeriousViolationsInSchemes } from "./axe";
import { E2E_DIR } from "./env";
import { appDb, clearSimFaults, expect, simFault, test } from "./fixtures";
import { pairFresh } from "./payments";
import { seedMerchant, seedPairing, seedTerminal, uniqueTag } from "./seed";

type TxRow = { id: number; status: string; status_source: string; amount: number; refund_total_amount: number; kind: string; linked_transaction_ref: number | null };

const txById = (id: number) =>
  appDb().prepare("select id, status, status_source, amount, refund_total_amount, kind, linked_transaction_ref from transactions where id = ?").get(id) as TxRow;
/** The simulator's webhooks of a terminal that a fault shaped, oldest first: their delivery states. */
function simWebhookStates(terminalId: string, fault: string): string[] {
  const db = new Database(path.join(E2E_DIR, "simulator.db"), { readonly: true });
  try {
    return (db.prepare("select state from sim_webhooks where terminal_id = ? and fault = ? order by id").all(terminalId, fault) as { state: string }[]).map((r) => r.state);
  } finally {
    db.close();
  }
}
const eventsOf = (id: number) =>
  appDb().prepare("select status, source, effect from transaction_events where transaction_ref = ? order by id").all(id) as { status: string; source: string; effect: string }[];

/** Charges from the terminal's page through the dialog; returns the new transaction's id (its page is open). */
async function charge(page: Page, terminalRef: number, amount: string) {
  await page.goto(`/terminals/${terminalRef}`);
  await page.getByTestId("charge-button").click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/^Amount/).fill(amount);
  await dialog.getByRole("button", { name: "Review" }).click();
  await expect(dialog.getByTestId("charge-confirm")).toBeVisible();
  await dialog.getByRole("button", { name: "Send charge" }).click();
  await page.waitForURL(/\/transactions\/\d+$/);
  return Number(new URL(page.url()).pathname.split("/").pop());
}

/** The person at the simulated terminal presses a button on its screen (another tab). */
async function onTerminal(page: Page, terminalId: string, button: "Approve" | "Decline" | "Cancel", amount: string) {
  const sim = await page.context().newPage();
  await sim.goto(`/simulator?terminal=${terminalId}`);
  await sim.getByRole("button", { name: `${button} ${amount}` }).click();
  await expect(sim.getByRole("button", { name: `${button} ${amount}` })).toHaveCount(0, { timeout: 10_000 });
  await sim.close();
}

async function autoApprove(page: Page, terminalId: string) {
  const sim = await page.context().newPage();
  await sim.goto(`/simulator?terminal=${terminalId}`);
  await sim.getByTestId("sim-auto-approve").click();
  await expect(sim.getByTestId("sim-auto-approve")).toHaveText("Auto-approve: on");
  await sim.close();
}

test("charge → approve on the terminal → SUCCESS on the transaction page without a reload", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag();
  const { terminalId, terminalRef } = await pairFresh(page, tag);
  // The configuration was read after pairing: the amount is typed in its currency.
  await page.goto(`/terminals/${terminalRef}`);
  await expect(page.getByTestId("terminal-configuration")).toContainText("EUR");
  await expectNoSeriousViolationsInSchemes(page, "terminal page with payments");

  // Bad input is refused in the dialog with a specific message, and nothing is sent.
  await page.getByTestId("charge-button").click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/^Amount/).fill("12.345");
  await dialog.getByRole("button", { name: "Review" }).click();
  await expect(dialog).toContainText("EUR has 2 decimals at most.");
  await page.keyboard.press("Escape");

  const id = await charge(page, terminalRef, "12.50");
  await expect(page.getByRole("heading", { name: "Charge of €12.50" })).toBeVisible();
  await expect(page.getByTestId("transaction-live")).toHaveAttribute("data-final", "no");
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", /INITIATED|IN_PROGRESS/);
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 10_000 });
  await expectNoSeriousViolations(page, "open transaction page");

  await onTerminal(page, terminalId, "Approve", "€12.50");
  // No reload: the page polls until the status is final.
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "SUCCESS", { timeout: 15_000 });
  await expect(page.getByTestId("transaction-live")).toHaveAttribute("data-final", "yes");
  expect(txById(id)).toMatchObject({ status: "SUCCESS", amount: 1250, kind: "charge" });
  const op = appDb().prepare("select kind, status, client_transaction_id from transaction_operations where result_transaction_ref = ?").get(id) as {
    kind: string;
    status: string;
    client_transaction_id: string;
  };
  expect(op).toMatchObject({ kind: "charge", status: "succeeded" });
  expect(op.client_transaction_id).toMatch(/^pd-/);
  // The print slip arrives by the poller; the page shows it.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("approve-code")).toHaveText("SIM123", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  // The list finds it by its provider id, and axe is clean there too.
  const providerId = (appDb().prepare("select provider_transaction_id as p from transactions where id = ?").get(id) as { p: string }).p;
  await page.goto(`/transactions?q=${providerId.slice(0, 12)}`);
  await expect(page.getByTestId("transaction-row")).toHaveCount(1);
  await expect(page.getByTestId("transaction-row")).toContainText("€12.50");
  await expectNoSeriousViolations(page, "transactions list");
});

test("with webhooks dropped, the status still arrives, by polling", async ({ page, asRole }) => {
  await asRole("admin");
  const { terminalId, terminalRef } = await pairFresh(page, uniqueTag());
  await simFault(page.request, "webhook_drop", { terminalId, count: 20 });
  const id = await charge(page, terminalRef, "3.00");
  await onTerminal(page, terminalId, "Approve", "€3.00");
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "SUCCESS", { timeout: 20_000 });
  expect(txById(id)).toMatchObject({ status: "SUCCESS", status_source: "poll" });
  expect(eventsOf(id).some((e) => e.source === "webhook")).toBe(false);
});

test("a forged webhook is refused with 403, changes nothing, and shows on the deliveries page", async ({ page, asRole }) => {
  await asRole("admin");
  const { terminalRef, pairingId } = await pairFresh(page, uniqueTag());
  const id = await charge(page, terminalRef, "4.00");
  const providerId = (appDb().prepare("select provider_transaction_id as p from transactions where id = ?").get(id) as { p: string }).p;
  const token = (appDb().prepare("select webhook_token as t from pairings where id = ?").get(pairingId) as { t: string }).t;
  const forged = JSON.stringify([{ id: providerId, status: "SUCCESS", amount: 400, currency: "EUR", note: "<script>alert(1)</script>" }]);
  const res = await page.request.post(`/api/webhooks/pay-connect/${token}`, {
    headers: { "Content-Type": "application/json", Signature: "0".repeat(64) },
    data: forged,
  });
  expect(res.status()).toBe(403);
  expect(txById(id).status).not.toBe("SUCCESS");
  const delivery = appDb()
    .prepare("select id, verdict from webhook_deliveries where pairing_id = ? and verdict = 'bad_signature' order by id desc")
    .get(pairingId) as { id: number; verdict: string };
  expect(delivery).toBeTruthy();

  await page.goto(`/webhooks?pairing=${pairingId}&verdict=rejected`);
  await expect(page.getByTestId("delivery-row").first()).toContainText("Bad signature");
  await expectNoSeriousViolations(page, "deliveries list");
  await page.goto(`/webhooks/${delivery.id}`);
  // Shown escaped, as text: no script element was made from it.
  await expect(page.getByTestId("delivery-body")).toContainText("<script>alert(1)</script>");
  expect(await page.locator("script:text('alert(1)')").count()).toBe(0);
  await expect(page.getByRole("button", { name: "Reprocess" })).toHaveCount(0);
  await expectNoSeriousViolations(page, "refused delivery");

  // An unknown URL is 404, and a body over 1 MiB 413.
  expect((await page.request.post("/api/webhooks/pay-connect/no-such-token-0000", { data: "[]" })).status()).toBe(404);
  expect((await page.request.post(`/api/webhooks/pay-connect/${token}`, { data: "x".repeat(1024 * 1024 + 10) })).status()).toBe(413);
});

test("duplicated and reordered webhooks end at one correct final status", async ({ page, asRole }) => {
  await asRole("admin");
  const { terminalId, terminalRef, pairingId } = await pairFresh(page, uniqueTag());
  await simFault(page.request, "webhook_duplicate", { terminalId, count: 10 });
  const id = await charge(page, terminalRef, "5.00");
  await onTerminal(page, terminalId, "Approve", "€5.00");
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "SUCCESS", { timeout: 15_000 });
  const events = eventsOf(id);
  expect(events.filter((e) => e.status === "SUCCESS")).toHaveLength(1);
  // Every status change was delivered twice; the copies recorded nothing.
  await expect
    .poll(() => (appDb().prepare("select count(*) as n from webhook_deliveries d join transaction_events e on e.delivery_id = d.id where e.transaction_ref = ?").get(id) as { n: number }).n)
    .toBeGreaterThan(0);

  // Reordered: the first two changes are held back 4 s, the success goes out at once. (The
  // duplicates armed above that the first charge left are cleared first: faults are taken
  // oldest first, so they would shape these webhooks instead.)
  await clearSimFaults(page.request, terminalId);
  await simFault(page.request, "webhook_reorder", { terminalId, count: 2, delayMs: 4_000 });
  const second = await charge(page, terminalRef, "6.00");
  await onTerminal(page, terminalId, "Approve", "€6.00");
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "SUCCESS", { timeout: 15_000 });
  // The held-back changes arrive after it (Pairdesk answered them: the simulator marks them
  // delivered) and are applied (no delivery of this pairing left unprocessed): still SUCCESS.
  await expect
    .poll(() => simWebhookStates(terminalId, "webhook_reorder"), { timeout: 20_000 })
    .toEqual(["delivered", "delivered"]);
  await expect
    .poll(() => (appDb().prepare("select count(*) as n from webhook_deliveries where pairing_id = ? and processed_at is null").get(pairingId) as { n: number }).n)
    .toBe(0);
  expect(txById(second).status).toBe("SUCCESS");
  await page.reload();
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "SUCCESS");
});

test("a partial refund, then a refund above what remains is refused; revert of the latest charge", async ({ page, asRole }) => {
  await asRole("admin");
  const { terminalId, terminalRef } = await pairFresh(page, uniqueTag());
  await autoApprove(page, terminalId);
  const id = await charge(page, terminalRef, "10.00");
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "SUCCESS", { timeout: 15_000 });

  await page.getByTestId("operation-refund").click();
  let dialog = page.getByRole("dialog");
  await dialog.getByLabel(/^Amount/).fill("4.00");
  await dialog.getByRole("button", { name: "Send refund" }).click();
  await expect(dialog).toHaveCount(0);
  const refund = appDb().prepare("select id, amount, kind from transactions where linked_transaction_ref = ?").get(id) as { id: number; amount: number; kind: string };
  expect(refund).toMatchObject({ amount: 400, kind: "refund" });
  await expect(page.getByTestId("operation-record").first()).toContainText("Refund €4.00");

  await page.getByTestId("operation-refund").click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel(/^Amount/).fill("7.00");
  await dialog.getByRole("button", { name: "Send refund" }).click();
  await expect(dialog.getByTestId("operation-error")).toContainText("You can refund at most €6.00");
  expect((appDb().prepare("select count(*) as n from transactions where linked_transaction_ref = ?").get(id) as { n: number }).n).toBe(1);
  await page.keyboard.press("Escape");

  // The refund itself succeeds on the terminal (auto-approve): the original's refunded total follows.
  await expect.poll(() => txById(id).refund_total_amount, { timeout: 15_000 }).toBe(400);

  // Revert: only the most recent successful transaction — here the refund is the latest success,
  // so a new charge is made and reverted.
  const latest = await charge(page, terminalRef, "2.00");
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "SUCCESS", { timeout: 15_000 });
  await page.getByTestId("operation-revert").click();
  await page.getByRole("dialog").getByRole("button", { name: "Send revert" }).click();
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "REVERTED", { timeout: 20_000 });
  expect(txById(latest).status).toBe("REVERTED");
  // The webhook may bring REVERTED before the poller has asked how the operation ended: it follows.
  const revert = () =>
    appDb().prepare("select status, provider_status as providerStatus from transaction_operations where transaction_ref = ? and kind = 'revert'").get(latest) as {
      status: string;
      providerStatus: string;
    };
  await expect.poll(revert, { timeout: 15_000 }).toEqual({ status: "succeeded", providerStatus: "SUCCESS" });
});

test("a viewer sees no operation buttons, and the actions refuse a viewer who calls them anyway", async ({ page, asRole }) => {
  const viewer = await asRole("merchant-viewer");
  const terminal = await seedTerminal({ merchantId: viewer.merchantId! });
  const admin = appDb().prepare("select id from users where role = 'admin' limit 1").get() as { id: number };
  const pairing = await seedPairing({ terminalRef: terminal.id, name: `Viewer till ${uniqueTag()}`, createdById: admin.id });
  const now = Date.now();
  const tx = appDb()
    .prepare(
      `insert into transactions (merchant_id, environment, terminal_ref, pairing_id, provider_transaction_id, kind, amount, currency, status,
         status_source, status_changed_at, last_seen_at, created_at, updated_at)
       values (?, 'sandbox', ?, ?, ?, 'charge', 900, 'EUR', 'SUCCESS', 'webhook', ?, ?, ?, ?) returning id`,
    )
    .get(viewer.merchantId, terminal.id, pairing.id, `ptx-viewer-${uniqueTag()}`, now, now, now, now) as { id: number };
  await page.goto(`/transactions/${tx.id}`);
  await expect(page.getByTestId("operations-panel")).toBeVisible();
  await expect(page.getByTestId("no-operations")).toContainText("Only admins");
  await expect(page.locator("[data-testid^=operation-]").filter({ hasText: /Refund|Revert|Cancel/ })).toHaveCount(0);
  await page.goto(`/terminals/${terminal.id}`);
  await expect(page.getByTestId("charge-button")).toHaveCount(0);

  for (const [path, name, fields] of [
    [`/transactions/${tx.id}`, "transactionOperationAction", { requestKey: crypto.randomUUID(), transactionId: String(tx.id), kind: "refund", amount: "1" }],
    [`/terminals/${terminal.id}`, "chargeAction", { requestKey: crypto.randomUUID(), terminalId: String(terminal.id), amount: "1" }],
  ] as const) {
    const res = await callAction(page, path, name, fields);
    expect(res.text, name).toContain('"code":"forbidden"');
    expect(res.text, name).toMatch(/cannot (run operations on transactions|send charges)/);
  }
  expect((appDb().prepare("select count(*) as n from transaction_operations where terminal_ref = ?").get(terminal.id) as { n: number }).n).toBe(0);

  // Another merchant's transaction and delivery list entry: a real 404, page and status route alike.
  const other = await seedMerchant();
  const theirTerminal = await seedTerminal({ merchantId: other.id });
  const theirPairing = await seedPairing({ terminalRef: theirTerminal.id, name: `Their till ${uniqueTag()}`, createdById: admin.id });
  const theirs = appDb()
    .prepare(
      `insert into transactions (merchant_id, environment, terminal_ref, pairing_id, provider_transaction_id, kind, amount, currency, status,
         status_source, status_changed_at, last_seen_at, created_at, updated_at)
       values (?, 'sandbox', ?, ?, ?, 'charge', 900, 'EUR', 'SUCCESS', 'webhook', ?, ?, ?, ?) returning id`,
    )
    .get(other.id, theirTerminal.id, theirPairing.id, `ptx-theirs-${uniqueTag()}`, now, now, now, now) as { id: number };
  expect((await page.goto(`/transactions/${theirs.id}`))?.status()).toBe(404);
  expect((await page.request.get(`/api/transactions/${theirs.id}/status`)).status()).toBe(404);
});
