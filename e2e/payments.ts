/**
 * A paired simulated terminal for the specs in which pairing is not what is tested (payments,
 * the terminal page's copy buttons, credentials refused…). The pairing form and its outcomes are
 * tested through the form in pairing.spec.ts, pair-form.spec.ts and pair-again.spec.ts.
 */
import type { Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { callAction } from "./actions";
import { expect, simOtp, simTerminal } from "./fixtures";
import { defaultMerchantId, pairingsOfTerminal } from "./seed";

/**
 * A new simulated terminal paired as `name` into the E2E merchant by the pairing action itself,
 * posted as the form would post it: the whole server path runs (Pay-Connect's pair call to the
 * simulator, the credentials sealed in the vault, the webhook URL registered, the terminal's
 * configuration read), without loading and filling the form. Rather than rows written straight
 * into both databases, which would repeat the vault's sealing, the simulator's pairing and the
 * configuration read in test code. The page is signed in as staff who may pair; it is left on
 * the terminal's page.
 */
export async function pairByAction(page: Page, name: string) {
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  const reply = await callAction(page, "/terminals/pair", "pairTerminalAction", {
    requestKey: randomUUID(),
    name,
    otp,
    environment: "sandbox",
    webhookUrl: "",
    merchantId: String(await defaultMerchantId()),
  });
  // x-action-redirect: "<path>;push".
  const target = reply.redirect?.split(";")[0] ?? "";
  expect(target, `pairing ${terminalId}: ${reply.text.slice(-500)}`).toMatch(/^\/terminals\/\d+\?paired=\d+$/);
  await page.goto(target);
  await expect(page.getByRole("heading", { level: 1, name: `Terminal ${terminalId}` })).toBeVisible();
  const terminalRef = Number(new URL(page.url()).pathname.split("/").pop());
  const pairing = (await pairingsOfTerminal(terminalId)).find((p) => p.name === name);
  expect(pairing, `the pairing of ${terminalId}`).toBeDefined();
  return { terminalId, terminalRef, pairingId: pairing!.id };
}

/** A new simulated terminal paired as `Till <tag>`; the terminal's page is open. */
export function pairFresh(page: Page, tag: string) {
  return pairByAction(page, `Till ${tag}`);
}
