/**
 * Payments driven through the simulator's test-driving API (lib/simulator/screen-http.ts) rather
 * than its screen: a decline, a payment left open until it EXPIRES, a provider 500 on a charge, a
 * preauthorisation completed, and an independent refund, each followed on Pairdesk's pages in a
 * real browser, with the database checked after. Also the preauthorisation's increase.
 */
import http from "node:http";
import zlib from "node:zlib";
import type { APIRequestContext, Page } from "@playwright/test";
import { E2E_URL } from "./env";
import { appDb, expect, serverLog, simFault, test } from "./fixtures";
import { pairFresh } from "./payments";
import { uniqueTag } from "./seed";

type Payment = { id: string; status: string; amount: number; kind: string };


async function payments(request: APIRequestContext, terminalId: string): Promise<Payment[]> {
  const res = await request.get(`/simulator/api/terminals/${terminalId}/payments`);
  expect(res.ok()).toBeTruthy();
  return ((await res.json()) as { payments: Payment[] }).payments;
}

async function move(request: APIRequestContext, terminalId: string, paymentId: string, what: "approve" | "decline" | "cancel") {
  return request.post(`/simulator/api/terminals/${terminalId}/payments/${paymentId}`, { data: { move: what } });
}

async function settings(request: APIRequestContext, terminalId: string, data: { auto_approve?: boolean; payment_expiry_seconds?: number | null }) {
  const res = await request.put(`/simulator/api/terminals/${terminalId}/settings`, { data });
  expect(res.ok()).toBeTruthy();
  return res.json();
}

/** Sends a charge, preauthorisation or independent refund from the terminal's dialog. */
async function send(page: Page, terminalRef: number, amount: string, kind?: "Charge" | "Preauthorisation" | "Independent refund") {
  await page.goto(`/terminals/${terminalRef}`);
  await page.getByTestId("charge-button").click();
  const dialog = page.getByRole("dialog");
  if (kind) await dialog.getByLabel("What to send").selectOption({ label: kind });
  await dialog.getByLabel(/^Amount/).fill(amount);
  await dialog.getByRole("button", { name: "Review" }).click();
  await expect(dialog.getByTestId("charge-confirm")).toBeVisible();
  await dialog.getByRole("button", { name: `Send ${(kind ?? "Charge").toLowerCase()}` }).click();
  return dialog;
}

const idFromUrl = (page: Page) => Number(new URL(page.url()).pathname.split("/").pop());
const providerIdOf = (id: number) => (appDb().prepare("select provider_transaction_id as p from transactions where id = ?").get(id) as { p: string }).p;
const txRow = (id: number) =>
  appDb().prepare("select status, kind, amount, status_source from transactions where id = ?").get(id) as { status: string; kind: string; amount: number; status_source: string };

test("declined through the test API, then a payment nobody answers EXPIRES; both show by themselves", async ({ page, asRole }) => {
  await asRole("admin");
  const { terminalId, terminalRef } = await pairFresh(page, uniqueTag());

  // The first payment waits (the simulator's default expiry) for as long as the test takes.
  await send(page, terminalRef, "6.10");
  await page.waitForURL(/\/transactions\/\d+$/);
  const declined = idFromUrl(page);
  // The terminal's screen with the payment waiting on it fits a phone.
  const phone = await page.context().newPage();
  await phone.setViewportSize({ width: 375, height: 800 });
  await phone.goto(`/simulator?terminal=${terminalId}`);
  await expect(phone.getByRole("button", { name: "Approve €6.10" })).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await phone.close();
  const listed = await payments(page.request, terminalId);
  expect(listed.map((p) => [p.id, p.amount])).toEqual([[providerIdOf(declined), 610]]);
  expect((await move(page.request, terminalId, providerIdOf(declined), "decline")).status()).toBe(200);
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "DECLINED", { timeout: 15_000 });
  // A second move on a final payment is refused and changes nothing.
  const again = await move(page.request, terminalId, providerIdOf(declined), "approve");
  expect(again.status()).toBe(409);
  expect(txRow(declined).status).toBe("DECLINED");

  // The next one expires after 4 s (set now: a slow machine took longer than that to decline the first).
  expect(await settings(page.request, terminalId, { payment_expiry_seconds: 4 })).toMatchObject({ auto_approve: false, payment_expiry_seconds: 4 });
  await send(page, terminalRef, "6.20");
  await page.waitForURL((url) => /\/transactions\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${declined}`));
  const expired = idFromUrl(page);
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "EXPIRED", { timeout: 20_000 });
  await expect(page.getByTestId("transaction-live")).toHaveAttribute("data-final", "yes");
  expect(txRow(expired)).toMatchObject({ status: "EXPIRED", amount: 620 });
  expect((await payments(page.request, terminalId)).find((p) => p.id === providerIdOf(expired))?.status).toBe("EXPIRED");
});

test("a provider 500 on a charge says what to do, records the failed try, and a new try goes through", async ({ page, asRole }) => {
  await asRole("admin");
  const { terminalId, terminalRef } = await pairFresh(page, uniqueTag());
  const before = (appDb().prepare("select count(*) as n from transactions where terminal_ref = ?").get(terminalRef) as { n: number }).n;
  await simFault(page.request, "charge_500", { terminalId, count: 1 });
  const dialog = await send(page, terminalRef, "7.70");
  const error = dialog.getByTestId("charge-error");
  await expect(error).toContainText("was not sent");
  await expect(error).not.toContainText(/secret|Bearer|client_secret/i);
  // Recorded as failed, and no transaction was made.
  const failed = appDb()
    .prepare("select status, error_code, reason from transaction_operations where terminal_ref = ? order by id desc")
    .get(terminalRef) as { status: string; error_code: string; reason: string };
  expect(failed.status).toBe("failed");
  expect(failed.reason.length).toBeGreaterThan(10);
  expect((appDb().prepare("select count(*) as n from transactions where terminal_ref = ?").get(terminalRef) as { n: number }).n).toBe(before);

  // The fault was for one call: the dialog can be sent again (a new request key) and goes through.
  await dialog.getByRole("button", { name: "Back" }).click();
  await dialog.getByRole("button", { name: "Review" }).click();
  await dialog.getByRole("button", { name: "Send charge" }).click();
  await page.waitForURL(/\/transactions\/\d+$/);
  expect(txRow(idFromUrl(page))).toMatchObject({ kind: "charge", amount: 770 });
});

test("a preauthorisation approved, increased and completed, and an independent refund approved, from the dialogs", async ({ page, asRole }) => {
  await asRole("admin");
  const { terminalId, terminalRef } = await pairFresh(page, uniqueTag());
  expect(await settings(page.request, terminalId, { auto_approve: true })).toMatchObject({ auto_approve: true });

  await send(page, terminalRef, "20.00", "Preauthorisation");
  await page.waitForURL(/\/transactions\/\d+$/);
  const preauth = idFromUrl(page);
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "SUCCESS", { timeout: 15_000 });
  expect(txRow(preauth)).toMatchObject({ kind: "preauth", amount: 2000 });
  // A preauthorisation is increased and completed, not refunded.
  await page.reload();
  await expect(page.getByTestId("operation-refund")).toHaveCount(0);
  await page.getByTestId("operation-preauth_increment").click();
  const increase = page.getByRole("dialog");
  await increase.getByLabel(/^Increase by/).fill("3.50");
  await increase.getByRole("button", { name: "Send increase" }).click();
  await expect(page.getByTestId("operation-record").filter({ hasText: "Increase €3.50" })).toBeVisible();
  // Pay-Connect confirms it, and its webhook brings the new amount: the page shows it by itself.
  await expect(page.getByRole("heading", { name: "Preauthorisation of €23.50" })).toBeVisible({ timeout: 20_000 });
  expect(txRow(preauth).amount).toBe(2350);
  await page.getByTestId("operation-preauth_complete").click();
  const complete = page.getByRole("dialog");
  await complete.getByLabel(/^Total/).fill("23.50");
  await complete.getByRole("button", { name: "Send complete" }).click();
  await expect(page.getByTestId("operation-record").filter({ hasText: "Completion €23.50" })).toBeVisible();
  await expect(async () => {
    const op = appDb().prepare("select status, amount from transaction_operations where transaction_ref = ? and kind = 'preauth_complete'").get(preauth) as {
      status: string;
      amount: number;
    };
    expect(op).toEqual({ status: "succeeded", amount: 2350 });
    expect(txRow(preauth).amount).toBe(2350);
  }).toPass({ timeout: 20_000 });

  await send(page, terminalRef, "5.00", "Independent refund");
  await page.waitForURL((url) => /\/transactions\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${preauth}`));
  const refund = idFromUrl(page);
  await expect(page.getByTestId("transaction-status")).toHaveAttribute("data-status", "SUCCESS", { timeout: 15_000 });
  expect(txRow(refund)).toMatchObject({ kind: "independent_refund", amount: 500 });
  await expect(page.getByRole("heading", { name: /Independent refund of €5.00/ })).toBeVisible();
});

/**
 * Waits until the server log holds everything the server wrote before this call: a delivery to
 * an unknown webhook URL is stored and logged (with its id) on receipt, after anything earlier.
 */
async function serverLogCaughtUp(request: APIRequestContext) {
  const marker = `log-marker-${uniqueTag(8)}`;
  const res = await request.post(`/api/webhooks/pay-connect/${marker}`, { data: marker });
  expect(res.status()).toBe(404);
  const { id } = appDb().prepare("select id from webhook_deliveries where verdict = 'unknown_pairing' and body = ?").get(Buffer.from(marker)) as { id: number };
  await expect.poll(() => serverLog().includes(`"delivery":${id},`)).toBe(true);
}

test("a CSV export reads right whatever encoding the client takes, and one abandoned after its first bytes leaves no server error", async ({ page, asRole }) => {
  await asRole("admin");
  await page.goto("/transactions");
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const before = serverLog().length;
  /** Raw HTTP (fetch would decode): the status, Content-Encoding and bytes, all or only the first. */
  const get = (encoding: string, whole: boolean) =>
    new Promise<{ status: number; encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      const req = http.get(`${E2E_URL}/api/transactions/export`, { headers: { Cookie: cookie, "Accept-Encoding": encoding } }, (res) => {
        const chunks: Buffer[] = [];
        const done = () => resolve({ status: res.statusCode ?? 0, encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) });
        res.on("data", (c: Buffer) => {
          chunks.push(c);
          if (!whole) {
            req.destroy();
            done();
          }
        });
        res.on("end", done);
      });
      req.on("error", (err) => (whole ? reject(err) : undefined));
    });
  for (const encoding of ["gzip, deflate, br", "identity"]) {
    const all = await get(encoding, true);
    expect(all.status).toBe(200);
    // Whatever the server chose, the bytes are what Content-Encoding says they are.
    const text = (all.encoding === "gzip" ? zlib.gunzipSync(all.body) : all.encoding === "br" ? zlib.brotliDecompressSync(all.body) : all.encoding === "deflate" ? zlib.inflateSync(all.body) : all.body).toString();
    expect(text.split("\r\n")[0]).toMatch(/^transaction_id,client_transaction_id,kind,status/);
    if (encoding === "identity") expect(all.encoding).toBeUndefined();
    for (let i = 0; i < 3; i++) expect((await get(encoding, false)).status).toBe(200);
  }
  // No sleep: the server had taken in the abandoned connections' ends before it read a later
  // request, so a whole export after them, then a logged marker (the log keeps the server's
  // order), show the log holds whatever those ends made it write.
  expect((await get("identity", true)).status).toBe(200);
  await serverLogCaughtUp(page.request);
  expect(serverLog().slice(before)).not.toMatch(/uncaughtException|Unable to enqueue|ERR_INVALID_STATE/);
});
