import type { Page } from "@playwright/test";
import { callAction } from "./actions";
import {
  createUser,
  databaseBytes,
  expect,
  serverLog,
  signIn,
  simFault,
  simOtp,
  simPairings,
  sessionState,
  sessionUser,
  simTerminal,
  submitPairForm,
  test,
  type TestUser,
} from "./fixtures";
import {
  allAuditText,
  attempts,
  auditRows,
  defaultMerchantId,
  E2E_MERCHANT,
  failPairingInsertsNamed,
  pairingById,
  pairingsOfTerminal,
  secretFields,
  setUserRole,
  terminalByTerminalId,
  uniqueTag,
} from "./seed";

const OTP_USED =
  "This OTP was already used: an OTP pairs once. If the terminal shows it is paired, its credentials went to whoever used the OTP; generate a new OTP on the terminal to pair it here.";

// Simulator faults are armed for each test's own simulated terminal (simFault's terminalId), so
// they never touch another test's calls and need no clearing between tests.

/** Pairs a fresh simulated terminal through the form; returns its ids. */
async function pairFresh(page: Page, name: string) {
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await submitPairForm(page, { name, otp });
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  const terminalRef = Number(new URL(page.url()).pathname.split("/").pop());
  const pairing = (await pairingsOfTerminal(terminalId)).find((p) => p.name === name)!;
  expect(pairing.terminalRef).toBe(terminalRef);
  return { terminalId, otp, terminalRef, pairingId: pairing.id, payConnectId: pairing.payConnectId };
}

test("support pairs a terminal with the OTP from the simulated terminal's screen", async ({ page, asRole }) => {
  const support = await asRole("support");

  // At the terminal: add a simulated terminal and generate an OTP on its screen.
  await page.goto("/simulator");
  await page.getByRole("button", { name: "Add simulated terminal" }).click();
  // The screen shows the new terminal (not the newest one: the other worker adds terminals too).
  await expect(page).toHaveURL(/\/simulator\?terminal=SIM-/);
  const terminalId = new URL(page.url()).searchParams.get("terminal")!;
  await expect(page.getByTestId("sim-terminal-id")).toHaveText(terminalId);
  await page.getByRole("button", { name: "Generate Pay-Connect OTP" }).click();
  const otp = (await page.getByTestId("sim-otp").innerText()).trim();
  expect(otp).toMatch(/^[A-Z0-9]{8}$/);
  await expect(page.getByText(/valid for 5 minutes|expires in/i).first()).toBeVisible();

  // In Pairdesk: the form, showing under "Advanced" this app's webhook endpoint that will be used.
  await page.goto("/terminals/pair");
  // Staff choose the merchant the terminal belongs to.
  await page.getByLabel("Merchant", { exact: true }).selectOption({ label: E2E_MERCHANT });
  await page.getByText("Advanced").click();
  await expect(page.getByTestId("webhook-default")).toHaveText(/^http:\/\/localhost:\d+\/api\/webhooks\/pay-connect\/‹a new secret token›$/);
  const webhookEndpoint = (await page.getByTestId("webhook-default").innerText()).replace("‹a new secret token›", "");
  await page.getByLabel("Name").fill("Front till");
  await page.getByLabel("OTP").fill(`  ${otp} `);
  await page.getByLabel("Environment").selectOption("sandbox");
  await page.getByRole("button", { name: "Pair terminal" }).click();

  await expect(page.getByRole("heading", { level: 1, name: `Terminal ${terminalId}` })).toBeVisible();
  await expect(page.getByTestId("paired-notice")).toContainText("stored encrypted in the vault");
  await expect(page.getByText("client_secret")).toBeVisible();
  await expect(page.getByText(/••••.*\(in the vault\)/).first()).toBeVisible();
  // Support sees why there is no Reveal or Unpair.
  await expect(page.getByTestId("admin-only-note")).toHaveText("Only an admin can reveal the credentials or unpair.");
  await expect(page.getByRole("button", { name: "Reveal credentials" })).toHaveCount(0);

  // The database: one terminal, an active pairing with the webhook URL, both secrets sealed, the attempt succeeded.
  const terminal = (await terminalByTerminalId(terminalId))!;
  expect(terminal.environment).toBe("sandbox");
  const terminalPairings = await pairingsOfTerminal(terminalId);
  expect(terminalPairings).toHaveLength(1);
  const pairing = terminalPairings[0]!;
  expect(pairing).toMatchObject({ status: "active", name: "Front till", createdById: support.id });
  // Under the endpoint shown, with a path token minted by the server for this pairing.
  expect(pairing.webhookToken).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expect(pairing.webhookUrl).toBe(`${webhookEndpoint}${pairing.webhookToken}`);
  await expect(page.getByText(String(pairing.webhookUrl))).toBeVisible();
  expect(await secretFields(pairing.id)).toEqual(["client_secret", "webhook_secret_key"]);
  expect(await attempts({ pairingId: pairing.id })).toMatchObject([{ status: "succeeded", terminalId }]);
  expect(await auditRows({ action: "pairing.create", targetId: pairing.id })).toMatchObject([
    { action: "pairing.create", actorId: support.id },
  ]);
  const stored = databaseBytes();
  expect(stored.includes(Buffer.from(otp))).toBe(false);

  // Listed on the terminals page.
  await page.goto(`/terminals?q=${terminalId}`);
  await expect(page.getByRole("link", { name: terminalId })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Front till" })).toBeVisible();

  // Support can neither reveal nor unpair: no controls, and the actions refuse a direct call.
  await page.goto(`/terminals/${terminal.id}`);
  await expect(page.getByRole("button", { name: "Reveal credentials" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Unpair" })).toHaveCount(0);
  const reveal = await callAction(page, `/terminals/${terminal.id}`, "revealCredentialsAction", {
    pairingId: String(pairing.id),
    password: support.password,
  });
  expect(reveal.text).toContain("Your role (support) cannot reveal credentials.");
  expect(reveal.text).not.toMatch(/clientSecret"\s*:/);
  const unpair = await callAction(page, `/terminals/${terminal.id}`, "unpairAction", { pairingId: String(pairing.id) });
  expect(unpair.text).toContain("Your role (support) cannot unpair terminals.");
  expect((await pairingById(pairing.id))?.status).toBe("active");
  expect(await auditRows({ action: "pairing.reveal%", targetId: pairing.id })).toEqual([]);
});

test("an admin reveals the credentials once, audited; the secret is nowhere else; then unpairs", async ({ page, browser, asRole }) => {
  const admin = await asRole("admin");
  const { terminalId, terminalRef, pairingId, payConnectId } = await pairFresh(page, "Reveal me");

  // Wrong password first.
  await page.getByRole("button", { name: "Reveal credentials" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Your password").fill("not-my-password");
  await dialog.getByRole("button", { name: "Reveal" }).click();
  await expect(dialog.getByText("That password is incorrect.")).toBeVisible();
  await expect(page.getByTestId("revealed-credentials")).toHaveCount(0);

  await dialog.getByLabel("Your password").fill(admin.password);
  await dialog.getByRole("button", { name: "Reveal" }).click();
  const secret = (await page.getByTestId("revealed-client_secret").innerText()).trim();
  const webhookSecret = (await page.getByTestId("revealed-webhook_secret_key").innerText()).trim();
  expect(secret.length).toBeGreaterThanOrEqual(32);
  expect(webhookSecret.length).toBeGreaterThanOrEqual(16);
  const audit = await auditRows({ action: "pairing.reveal%", targetId: pairingId });
  expect(audit.map((a) => a.action)).toEqual(["pairing.reveal_denied", "pairing.reveal"]);

  // Closing the dialog hides them; nothing kept them.
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("revealed-credentials")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // The secrets are in no page, no audit row, no log line, and not in plaintext in the SQLite file.
  for (const path of [`/terminals/${terminalRef}`, "/terminals", "/attempts", "/audit", "/"]) {
    const res = await page.request.get(path);
    const html = await res.text();
    expect(html, path).not.toContain(secret);
    expect(html, path).not.toContain(webhookSecret);
  }
  const res = await page.request.get(`/terminals/${terminalRef}`);
  expect(res.headers()["cache-control"]).toContain("no-store");
  const stored = databaseBytes();
  expect(stored.includes(Buffer.from(secret))).toBe(false);
  expect(stored.includes(Buffer.from(webhookSecret))).toBe(false);
  expect(await allAuditText()).not.toContain(secret);
  const log = serverLog();
  expect(log.length).toBeGreaterThan(0);
  expect(log).not.toContain(secret);
  expect(log).not.toContain(webhookSecret);

  // Unpair: confirm, then the pairing is unpaired and its secrets destroyed.
  await page.getByRole("button", { name: "Unpair" }).click();
  await expect(page.getByRole("dialog")).toContainText(`terminal ${terminalId}`);
  await page.getByRole("button", { name: "Unpair terminal" }).click();
  await expect(page.getByText("The terminal was unpaired")).toBeVisible();
  await expect(page.getByTestId(`pairing-${pairingId}`)).toContainText("unpaired");
  await expect(page.getByTestId(`pairing-${pairingId}`)).toContainText("destroyed");
  expect(await pairingById(pairingId)).toMatchObject({ status: "unpaired", endedById: admin.id });
  expect(await secretFields(pairingId)).toEqual([]);
  expect(await auditRows({ action: "pairing.unpair", targetId: pairingId })).toHaveLength(1);
  // Pay-Connect's side (the simulator) ended this very pairing of this terminal.
  const sim = await simPairings(page.request, terminalId);
  expect(sim).toHaveLength(1);
  expect(sim[0]).toMatchObject({ pay_connect_id: payConnectId, name: "Reveal me", status: "unpaired" });
  expect(sim[0]!.unpaired_at).not.toBeNull();

  // A viewer in another browser sees the terminal but no pairing form.
  const ctx = await browser.newContext({ storageState: sessionState("viewer") });
  const vpage = await ctx.newPage();
  await vpage.goto(`/terminals/${terminalRef}`);
  await expect(vpage.getByRole("heading", { level: 1, name: `Terminal ${terminalId}` })).toBeVisible();
  await ctx.close();
});

test("an unpair that Pay-Connect refuses is explained and changes nothing", async ({ page, asRole }) => {
  await asRole("admin");
  const { pairingId, terminalId, payConnectId } = await pairFresh(page, "Keep me");
  await simFault(page.request, "unpair_500", { terminalId });
  await page.getByRole("button", { name: "Unpair" }).click();
  await page.getByRole("button", { name: "Unpair terminal" }).click();
  await expect(page.getByTestId("unpair-error")).toContainText("Pay-Connect is unavailable");
  await expect(page.getByTestId("unpair-error")).toContainText("The pairing was not changed.");
  expect((await pairingById(pairingId))?.status).toBe("active");
  expect(await secretFields(pairingId)).toHaveLength(2);
  expect(await auditRows({ action: "pairing.unpair_failed", targetId: pairingId })).toHaveLength(1);
  expect(await simPairings(page.request, terminalId)).toMatchObject([{ pay_connect_id: payConnectId, status: "active" }]);
});

test("a used OTP gets the clear error, creates no pairing and is recorded", async ({ page, asRole }) => {
  await asRole("support");
  const { otp, terminalId } = await pairFresh(page, "First use");
  const second = `Second use ${uniqueTag()}`;

  await submitPairForm(page, { name: second, otp });
  // The simulator says why (as Pay-Connect may): the message names it.
  await expect(page.getByTestId("pair-error")).toContainText(OTP_USED);
  await expect(page.getByText("it may be mistyped, or already used or expired (then generate a new OTP on the terminal).")).toBeVisible();
  expect((await pairingsOfTerminal(terminalId)).map((p) => p.name)).toEqual(["First use"]);
  expect(await attempts({ name: second })).toMatchObject([{ status: "failed", errorCode: "otp_rejected", reason: OTP_USED }]);

  await page.goto("/attempts?status=failed");
  await expect(page.getByRole("row").filter({ hasText: second })).toContainText("This OTP was already used");
});

test("a request replayed twice at once pairs once", async ({ page, asRole }) => {
  await asRole("support");
  // The browser queues a second submit of a form (and the button disables itself); a client
  // that replays the same form twice at once (same request key) still gets one attempt and
  // one pairing.
  const other = await simTerminal(page.request);
  const fields = {
    requestKey: crypto.randomUUID(),
    name: "Replayed",
    otp: await simOtp(page.request, other),
    environment: "sandbox",
    webhookUrl: "",
    merchantId: String(await defaultMerchantId()),
  };
  const replies = await Promise.all([
    callAction(page, "/terminals/pair", "pairTerminalAction", fields),
    callAction(page, "/terminals/pair", "pairTerminalAction", fields),
  ]);
  // Each reply is the redirect to the terminal, or "already being processed" for the one that
  // lost the race: never a second pair call (which would answer "OTP rejected").
  for (const r of replies) {
    expect(r.text).not.toContain("The OTP was rejected");
    expect(r.redirect?.match(/^\/terminals\/\d+\?paired=\d+/) || r.text.includes("already being processed")).toBeTruthy();
  }
  expect(await attempts({ name: "Replayed" })).toMatchObject([{ status: "succeeded" }]);
  expect(await pairingsOfTerminal(other)).toHaveLength(1);
});

test("bad input gets field errors and calls nothing", async ({ page }) => {
  // A user of its own: "no attempt recorded" is asserted on this user's attempts.
  const support = await createUser("support");
  await signIn(page, support);
  await page.goto("/terminals/pair");
  await page.getByLabel("OTP").fill("<x>");
  await page.getByText("Advanced").click();
  await page.getByLabel("Another webhook URL").fill("http://example.com/hook");
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByText("Enter a name for this pairing.")).toBeVisible();
  await expect(page.getByText(/The OTP is 4 to 32 letters/)).toBeVisible();
  await expect(page.getByText("The webhook URL must use https (http is allowed only for localhost).")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  expect(await attempts({ createdById: support.id })).toEqual([]);
});

test("Pay-Connect answering 500 is explained, recorded, and the same form can try again", async ({ page, asRole }) => {
  const support = await asRole("support");
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await simFault(page.request, "pair_500", { terminalId });

  await submitPairForm(page, { name: "Flaky", otp });
  await expect(page.getByTestId("pair-error")).toContainText("Pay-Connect is unavailable");
  expect(await attempts({ name: "Flaky", createdById: support.id })).toMatchObject([{ status: "failed", errorCode: "unavailable" }]);
  expect(await terminalByTerminalId(terminalId)).toBeUndefined();

  // Same form (the name is kept; the OTP stays in the field, not echoed back by the server),
  // same OTP since Pay-Connect never used it: a second attempt, recorded separately.
  await expect(page.getByLabel("Name")).toHaveValue("Flaky");
  await expect(page.getByLabel("OTP")).toHaveValue(otp);
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  expect((await attempts({ name: "Flaky", createdById: support.id })).map((a) => a.status)).toEqual(["failed", "succeeded"]);
});

test("a Pay-Connect timeout leaves the attempt 'outcome unknown' with guidance", async ({ page, asRole }) => {
  const support = await asRole("support");
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await simFault(page.request, "pair_slow", { terminalId, delayMs: 4_000 });

  await submitPairForm(page, { name: "Slow", otp });
  const error = page.getByTestId("pair-error");
  await expect(error).toContainText("Outcome unknown");
  await expect(error).toContainText("Check the terminal");
  expect(await attempts({ name: "Slow", createdById: support.id })).toMatchObject([{ status: "outcome_unknown", errorCode: "timeout" }]);
  expect(await pairingsOfTerminal(terminalId)).toEqual([]);
  await page.goto("/attempts?status=outcome_unknown");
  const row = page.getByRole("row").filter({ hasText: "Slow" }).filter({ hasText: support.email });
  await expect(row).toContainText(/outcome unknown/i);
  await expect(row).toContainText("Check the terminal");
});

test("a failed database write spools the credentials; an admin completes the recovery from the dashboard", async ({ page, browser, asRole }) => {
  const support = await asRole("support");
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  const name = `Spooled ${uniqueTag()}`;

  // Only this pairing's insert fails: the other worker keeps pairing.
  const removeFault = failPairingInsertsNamed(name);
  try {
    await submitPairForm(page, { name, otp });
    await expect(page.getByTestId("pair-error")).toContainText("needs recovery");
    await expect(page.getByTestId("pair-error")).toContainText("recovery spool");
  } finally {
    removeFault();
  }
  const [attempt] = await attempts({ name, createdById: support.id });
  expect(attempt?.status).toBe("needs_recovery");
  expect(await terminalByTerminalId(terminalId)).toBeUndefined();

  // Support sees it on the dashboard but cannot complete it.
  await page.goto("/");
  const panel = page.getByTestId("needs-recovery");
  await expect(panel).toContainText(terminalId);
  await expect(panel.getByRole("button", { name: "Complete pairing" })).toHaveCount(0);
  const refused = await callAction(page, "/", "completeRecoveryAction", { attemptId: String(attempt!.id) });
  expect(refused.text).toContain("Your role (support) cannot complete a pairing recovery.");
  expect(await attempts({ id: attempt!.id })).toMatchObject([{ status: "needs_recovery" }]);

  const admin: TestUser = sessionUser("admin");
  const ctx = await browser.newContext({ storageState: sessionState("admin") });
  const apage = await ctx.newPage();
  await apage.goto("/");
  const row = apage.getByTestId("needs-recovery").getByRole("listitem").filter({ hasText: terminalId });
  await row.getByRole("button", { name: "Complete pairing" }).click();
  await expect(apage.getByRole("heading", { level: 1, name: `Terminal ${terminalId}` })).toBeVisible();
  const [recovered] = await attempts({ id: attempt!.id });
  expect(recovered?.status).toBe("succeeded");
  expect(recovered?.recoveredAt).not.toBeNull();
  const [pairing] = await pairingsOfTerminal(terminalId);
  expect(pairing?.createdById).toBe(support.id);
  expect(await secretFields(pairing!.id)).toHaveLength(2);
  expect(await auditRows({ action: "pairing.recover", targetId: pairing!.id })).toMatchObject([{ actorId: admin.id }]);
  await apage.goto("/");
  await expect(apage.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(apage.getByTestId("needs-recovery").getByText(terminalId)).toHaveCount(0);
  await ctx.close();
});

test("a viewer has no pairing form, and the action refuses a viewer who calls it anyway", async ({ page, browser, asRole }) => {
  await asRole("viewer");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Pair terminal" })).toHaveCount(0);
  await page.goto("/terminals");
  await expect(page.getByRole("link", { name: "Pair terminal" })).toHaveCount(0);
  await page.goto("/terminals/pair");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expect(page.getByText("Your role (viewer) cannot pair terminals.")).toBeVisible();
  await expect(page.getByLabel("OTP")).toHaveCount(0);

  const direct = await callAction(page, "/terminals/pair", "pairTerminalAction", {
    requestKey: crypto.randomUUID(),
    name: "Sneaky",
    otp: "ABCD2345",
    environment: "sandbox",
    webhookUrl: "",
  });
  expect(direct.text).toContain("Your role (viewer) cannot pair terminals.");

  // A support user demoted to viewer while the form is open is refused on submit (a user of its
  // own: the shared support session must keep its role).
  const support = await createUser("support");
  const ctx = await browser.newContext();
  const spage = await ctx.newPage();
  await signIn(spage, support);
  await spage.goto("/terminals/pair");
  await setUserRole(support.id, "viewer");
  await spage.getByLabel("Name").fill("Demoted");
  await spage.getByLabel("OTP").fill("ABCD2345");
  await spage.getByRole("button", { name: "Pair terminal" }).click();
  await expect(spage.getByTestId("pair-error")).toContainText("Your role (viewer) cannot pair terminals.");
  // Neither call was recorded (the shared viewer has attempts seeded by lists.spec: look by name).
  expect(await attempts({ name: "Sneaky" })).toEqual([]);
  expect(await attempts({ createdById: support.id })).toEqual([]);
  await ctx.close();
});
