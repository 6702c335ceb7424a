/**
 * The money rules under real concurrent requests to the real server (issue 16, items 1–3): four
 * completions, four reverts sent at once reach Pay-Connect (the simulator) once; a terminal that
 * another merchant has paired since takes no operation for the first merchant's payments, and
 * their page says so without naming the other merchant's pairing.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import type { APIRequestContext, Page } from "@playwright/test";
import { callAction } from "./actions";
import { E2E_DIR } from "./env";
import { appDb, createUser, expect, signIn, simOtp, simTerminal, submitPairForm, test } from "./fixtures";
import { pairFresh } from "./payments";
import { pairingsOfTerminal, seedMerchant, uniqueTag } from "./seed";

/** The simulator's own record of the operations Pay-Connect received on one transaction. */
function simOperations(providerTransactionId: string): { type: string }[] {
  const db = new Database(path.join(E2E_DIR, "simulator.db"), { readonly: true });
  try {
    return db.prepare("select type from sim_operations where transaction_id = ?").all(providerTransactionId) as { type: string }[];
  } finally {
    db.close();
  }
}

async function autoApprove(request: APIRequestContext, terminalId: string) {
  const res = await request.put(`/simulator/api/terminals/${terminalId}/settings`, { data: { auto_approve: true } });
  expect(res.ok()).toBeTruthy();
}

/** Sends a charge or preauthorisation as the page's form would, and waits until it succeeded. */
async function paid(page: Page, terminalRef: number, kind: "charge" | "preauth", amount: string) {
  const out = await callAction(page, `/terminals/${terminalRef}`, "chargeAction", { requestKey: randomUUID(), terminalId: String(terminalRef), kind, amount });
  expect(out.status, out.text).toBe(200);
  let row: { id: number; provider: string; status: string } | undefined;
  await expect(async () => {
    row = appDb()
      .prepare("select id, provider_transaction_id provider, status from transactions where terminal_ref = ? and kind = ? order by id desc limit 1")
      .get(terminalRef, kind) as typeof row;
    expect(row?.status).toBe("SUCCESS");
  }).toPass({ timeout: 20_000 });
  return row!;
}

/** Four submits of the same operation at once, each its own form (request key). */
function fourAtOnce(page: Page, transactionId: number, kind: string, amount?: string) {
  return Promise.all(
    Array.from({ length: 4 }, () =>
      callAction(page, `/transactions/${transactionId}`, "transactionOperationAction", {
        requestKey: randomUUID(),
        transactionId: String(transactionId),
        kind,
        ...(amount ? { amount } : {}),
      }),
    ),
  );
}

const operationsOf = (transactionId: number, kind: string) =>
  appDb().prepare("select status from transaction_operations where transaction_ref = ? and kind = ?").all(transactionId, kind) as { status: string }[];

test("four completions of a preauthorisation sent at once: one reaches Pay-Connect, and the page no longer offers Complete or Increase", async ({ page, asRole }) => {
  await asRole("admin");
  const { terminalId, terminalRef } = await pairFresh(page, uniqueTag());
  await autoApprove(page.request, terminalId);
  const preauth = await paid(page, terminalRef, "preauth", "20.00");

  const answers = await fourAtOnce(page, preauth.id, "preauth_complete", "20.00");
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  // The action's own answer (the page's new render follows it in the same stream).
  expect(answers.filter((a) => /"ok":true/.test(a.text))).toHaveLength(1);
  expect(answers.filter((a) => /"ok":false,"error":"A completion of it was sent and has not ended yet/.test(a.text))).toHaveLength(3);
  expect(simOperations(preauth.provider).filter((o) => o.type.includes("complete"))).toHaveLength(1);
  expect(operationsOf(preauth.id, "preauth_complete")).toHaveLength(1);

  // Once it succeeded, still once; the page says why Complete and Increase are gone.
  await expect(async () => expect(operationsOf(preauth.id, "preauth_complete")).toEqual([{ status: "succeeded" }])).toPass({ timeout: 20_000 });
  const later = await fourAtOnce(page, preauth.id, "preauth_complete", "20.00");
  expect(later.filter((a) => /"ok":false,"error":"It is already completed: it cannot be completed again\."/.test(a.text))).toHaveLength(4);
  expect(simOperations(preauth.provider).filter((o) => o.type.includes("complete"))).toHaveLength(1);
  await page.goto(`/transactions/${preauth.id}`);
  await expect(page.getByTestId("operations-panel")).toBeVisible();
  await expect(page.getByTestId("operation-preauth_complete")).toHaveCount(0);
  await expect(page.getByTestId("operation-preauth_increment")).toHaveCount(0);
  await expect(page.getByTestId("operations-withheld")).toContainText("Complete is not offered. It is already completed: it cannot be completed again.");
  // A completed preauthorisation is a captured payment: it can be refunded.
  await expect(page.getByTestId("operation-refund")).toBeVisible();
});

test("four reverts of the latest charge sent at once: one reaches Pay-Connect; a refund is never offered a revert", async ({ page, asRole }) => {
  await asRole("admin");
  const { terminalId, terminalRef } = await pairFresh(page, uniqueTag());
  await autoApprove(page.request, terminalId);
  const charge = await paid(page, terminalRef, "charge", "7.80");

  // A refund first: it becomes the terminal's latest success, and is itself not revertable.
  const refund = await callAction(page, `/transactions/${charge.id}`, "transactionOperationAction", {
    requestKey: randomUUID(),
    transactionId: String(charge.id),
    kind: "refund",
    amount: "1.50",
  });
  expect(refund.status).toBe(200);
  let refundRow: { id: number; status: string } | undefined;
  await expect(async () => {
    refundRow = appDb().prepare("select id, status from transactions where linked_transaction_ref = ?").get(charge.id) as typeof refundRow;
    expect(refundRow?.status).toBe("SUCCESS");
  }).toPass({ timeout: 20_000 });
  const revertRefund = await callAction(page, `/transactions/${refundRow!.id}`, "transactionOperationAction", {
    requestKey: randomUUID(),
    transactionId: String(refundRow!.id),
    kind: "revert",
  });
  expect(revertRefund.text).toMatch(/"ok":false,"error":"A refund cannot be reverted/);
  await page.goto(`/transactions/${refundRow!.id}`);
  await expect(page.getByTestId("operations-panel")).toBeVisible();
  await expect(page.getByTestId("operation-revert")).toHaveCount(0);
  // The charge's page says why it has no Revert now.
  await page.goto(`/transactions/${charge.id}`);
  await expect(page.getByTestId("operations-withheld")).toContainText("Revert is not offered. Only the terminal's most recent successful transaction can be reverted");

  const latest = await paid(page, terminalRef, "charge", "4.20");
  const answers = await fourAtOnce(page, latest.id, "revert");
  expect(answers.filter((a) => /"ok":true/.test(a.text))).toHaveLength(1);
  expect(answers.filter((a) => /"ok":false,"error":"A revert of it was sent and has not ended yet/.test(a.text))).toHaveLength(3);
  expect(simOperations(latest.provider).filter((o) => o.type.includes("revert"))).toHaveLength(1);
  expect(operationsOf(latest.id, "revert")).toHaveLength(1);
  expect(operationsOf(refundRow!.id, "revert")).toHaveLength(0);
});

test("a terminal paired by another merchant takes no operation for the first merchant's payment, and its page does not name the other pairing", async ({
  page,
  browser,
  asRole,
}) => {
  const tag = uniqueTag();
  const northwind = await seedMerchant(`Northwind ${tag}`);
  const harbour = await seedMerchant(`Harbour ${tag}`);
  const northAdmin = await createUser("merchant-admin", "", northwind.id);
  const harbourAdmin = await createUser("merchant-admin", "", harbour.id);

  // Northwind's terminal, paired by staff, with a successful €7.80 charge.
  await asRole("admin");
  const terminalId = await simTerminal(page.request);
  await submitPairForm(page, { name: `NW Bar ${tag}`, otp: await simOtp(page.request, terminalId), merchant: northwind.name });
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  const terminalRef = Number(new URL(page.url()).pathname.split("/").pop());
  await autoApprove(page.request, terminalId);
  const charge = await paid(page, terminalRef, "charge", "7.80");

  // Harbour's admin pairs the same terminal with an OTP from its screen.
  const harbourContext = await browser.newContext();
  const hpage = await harbourContext.newPage();
  await signIn(hpage, harbourAdmin);
  await submitPairForm(hpage, { name: `HB stolen Bar ${tag}`, otp: await simOtp(hpage.request, terminalId) });
  await expect(hpage.getByTestId("paired-notice")).toBeVisible();
  await harbourContext.close();
  expect((await pairingsOfTerminal(terminalId)).map((p) => p.status).sort()).toEqual(["active", "replaced"]);

  // Northwind's admin: the payment's page offers nothing, says why and what to do instead, and
  // does not name Harbour's pairing.
  const northContext = await browser.newContext();
  const npage = await northContext.newPage();
  await signIn(npage, northAdmin);
  await npage.goto(`/transactions/${charge.id}`);
  await expect(npage.getByTestId("transaction-terminal")).toHaveText(`${terminalId} (paired elsewhere now)`);
  await expect(npage.getByTestId("operation-refund")).toHaveCount(0);
  await expect(npage.getByTestId("operation-revert")).toHaveCount(0);
  await expect(npage.getByTestId("operations-withheld")).toContainText(
    `Refund is not offered. Terminal ${terminalId} is paired to another merchant now, so this payment can no longer be acted on through it. To give money back, make an independent refund from one of your own terminals.`,
  );
  await expect(npage.locator("main")).not.toContainText("HB stolen");

  // A crafted refund is refused the same way, and nothing reaches Pay-Connect.
  const crafted = await callAction(npage, `/transactions/${charge.id}`, "transactionOperationAction", {
    requestKey: randomUUID(),
    transactionId: String(charge.id),
    kind: "refund",
    amount: "1.00",
  });
  expect(crafted.text).toMatch(/"ok":false,"error":"Terminal [^"]+ is paired to another merchant now/);
  await northContext.close();
  expect(appDb().prepare("select count(*) n from transaction_operations where transaction_ref = ?").get(charge.id)).toEqual({ n: 0 });
  expect(appDb().prepare("select count(*) n from transactions where linked_transaction_ref = ?").get(charge.id)).toEqual({ n: 0 });
});
