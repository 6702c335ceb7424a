/**
 * Helpers for the payment specs (transactions.spec.ts, simulator-payments.spec.ts): a freshly
 * paired simulated terminal, through the real pair form.
 */
import type { Page } from "@playwright/test";
import { expect, simOtp, simTerminal, submitPairForm } from "./fixtures";
import { pairingsOfTerminal } from "./seed";

/** A new simulated terminal paired as `Till <tag>`; the terminal's page is open. */
export async function pairFresh(page: Page, tag: string) {
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await submitPairForm(page, { name: `Till ${tag}`, otp });
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  const terminalRef = Number(new URL(page.url()).pathname.split("/").pop());
  const pairing = pairingsOfTerminal(terminalId).find((p) => p.name === `Till ${tag}`);
  expect(pairing, `the pairing of ${terminalId}`).toBeDefined();
  return { terminalId, terminalRef, pairingId: pairing!.id };
}
