import type { Page } from "@playwright/test";
import { callAction } from "./actions";
import {
  appDb,
  clearSimFaults,
  createUser,
  databaseBytes,
  expect,
  serverLog,
  signIn,
  simFault,
  simOtp,
  simTerminal,
  submitPairForm,
  test,
  type TestUser,
} from "./fixtures";

const OTP_REJECTED =
  "The OTP was rejected: it may be mistyped, or already used or expired. Check it against the terminal's screen; if it matches, generate a new OTP on the terminal.";

type Row = Record<string, unknown>;
const one = (sql: string, ...args: unknown[]) => appDb().prepare(sql).get(...args) as Row | undefined;
const all = (sql: string, ...args: unknown[]) => appDb().prepare(sql).all(...args) as Row[];

test.afterEach(async ({ request }) => {
  await clearSimFaults(request);
});

/** Pairs a fresh simulated terminal through the form; returns its ids. */
async function pairFresh(page: Page, name: string) {
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await submitPairForm(page, { name, otp });
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  const terminalRef = Number(new URL(page.url()).pathname.split("/").pop());
  const pairing = one("select id from pairings where terminal_ref = ? and name = ?", terminalRef, name)!;
  return { terminalId, otp, terminalRef, pairingId: Number(pairing.id) };
}

test("support pairs a terminal with the OTP from the simulated terminal's screen", async ({ page }) => {
  const support = await createUser("support");
  await signIn(page, support);

  // At the terminal: add a simulated terminal and generate an OTP on its screen.
  await page.goto("/simulator");
  await page.getByRole("button", { name: "Add simulated terminal" }).click();
  // The new terminal's screen (other terminals may exist: never click an older one's button).
  await page.waitForURL(/\/simulator\?terminal=/);
  await page.getByRole("button", { name: "Generate Pay-Connect OTP" }).click();
  const otp = (await page.getByTestId("sim-otp").innerText()).trim();
  const terminalId = (await page.getByTestId("sim-terminal-id").innerText()).trim();
  expect(otp).toMatch(/^[A-Z0-9]{8}$/);
  await expect(page.getByText(/valid for 5 minutes|expires in/i).first()).toBeVisible();

  // In Pairdesk: the form, showing under "Advanced" this app's webhook endpoint that will be used.
  await page.goto("/terminals/pair");
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

  // The database: one terminal, an active pairing with the webhook URL, both secrets sealed, the attempt succeeded.
  const terminal = one("select id, environment from terminals where terminal_id = ?", terminalId)!;
  expect(terminal.environment).toBe("sandbox");
  const pairing = one("select id, status, name, webhook_url, webhook_token, created_by_id from pairings where terminal_ref = ?", terminal.id)!;
  expect(pairing).toMatchObject({ status: "active", name: "Front till", created_by_id: support.id });
  // Under the endpoint shown, with a path token minted by the server for this pairing.
  expect(pairing.webhook_token).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expect(pairing.webhook_url).toBe(`${webhookEndpoint}${pairing.webhook_token}`);
  await expect(page.getByText(String(pairing.webhook_url))).toBeVisible();
  expect(all("select field from pairing_secrets where pairing_id = ? order by field", pairing.id)).toEqual([
    { field: "client_secret" },
    { field: "webhook_secret_key" },
  ]);
  expect(one("select status, terminal_id from pairing_attempts where pairing_id = ?", pairing.id)).toEqual({
    status: "succeeded",
    terminal_id: terminalId,
  });
  expect(one("select action, actor_id from audit_log where action = 'pairing.create' and target_id = ?", String(pairing.id))).toEqual({
    action: "pairing.create",
    actor_id: support.id,
  });
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
  expect(one("select status from pairings where id = ?", pairing.id)).toEqual({ status: "active" });
  expect(one("select count(*) n from audit_log where action like 'pairing.reveal%' and target_id = ?", String(pairing.id))).toEqual({ n: 0 });
});

test("an admin reveals the credentials once, audited; the secret is nowhere else; then unpairs", async ({ page, browser }) => {
  const admin = await createUser("admin");
  await signIn(page, admin);
  const { terminalId, terminalRef, pairingId } = await pairFresh(page, "Reveal me");

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
  const audit = all("select action, details from audit_log where target_id = ? and action like 'pairing.reveal%' order by id", String(pairingId));
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
  expect(JSON.stringify(all("select * from audit_log"))).not.toContain(secret);
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
  expect(one("select status, ended_by_id from pairings where id = ?", pairingId)).toEqual({ status: "unpaired", ended_by_id: admin.id });
  expect(one("select count(*) n from pairing_secrets where pairing_id = ?", pairingId)).toEqual({ n: 0 });
  expect(one("select count(*) n from audit_log where action = 'pairing.unpair' and target_id = ?", String(pairingId))).toEqual({ n: 1 });
  const sim = await (await page.request.get("/simulator/api/terminals")).json();
  expect(JSON.stringify(sim)).toContain("unpaired");

  // A viewer in another browser sees the terminal but no pairing form.
  const viewer = await createUser("viewer");
  const ctx = await browser.newContext();
  const vpage = await ctx.newPage();
  await signIn(vpage, viewer);
  await vpage.goto(`/terminals/${terminalRef}`);
  await expect(vpage.getByRole("heading", { level: 1, name: `Terminal ${terminalId}` })).toBeVisible();
  await ctx.close();
});

test("an unpair that Pay-Connect refuses is explained and changes nothing", async ({ page }) => {
  const admin = await createUser("admin");
  await signIn(page, admin);
  const { pairingId, terminalId } = await pairFresh(page, "Keep me");
  await simFault(page.request, "unpair_500", { terminalId });
  await page.getByRole("button", { name: "Unpair" }).click();
  await page.getByRole("button", { name: "Unpair terminal" }).click();
  await expect(page.getByTestId("unpair-error")).toContainText("Pay-Connect is unavailable");
  await expect(page.getByTestId("unpair-error")).toContainText("The pairing was not changed.");
  expect(one("select status from pairings where id = ?", pairingId)).toEqual({ status: "active" });
  expect(one("select count(*) n from pairing_secrets where pairing_id = ?", pairingId)).toEqual({ n: 2 });
  expect(one("select count(*) n from audit_log where action = 'pairing.unpair_failed' and target_id = ?", String(pairingId))).toEqual({ n: 1 });
});

test("a used OTP gets the clear error, creates no pairing and is recorded", async ({ page }) => {
  const support = await createUser("support");
  await signIn(page, support);
  const { otp } = await pairFresh(page, "First use");
  const pairingsBefore = one("select count(*) n from pairings")!.n;

  await submitPairForm(page, { name: "Second use", otp });
  await expect(page.getByTestId("pair-error")).toContainText(OTP_REJECTED);
  await expect(page.getByText("it may be mistyped, or already used or expired (then generate a new OTP on the terminal).")).toBeVisible();
  expect(one("select count(*) n from pairings")!.n).toBe(pairingsBefore);
  expect(one("select status, error_code, reason from pairing_attempts where name = 'Second use' and created_by_id = ?", support.id)).toEqual({
    status: "failed",
    error_code: "otp_rejected",
    reason: OTP_REJECTED,
  });

  await page.goto("/attempts?status=failed");
  await expect(page.getByRole("row").filter({ hasText: "Second use" })).toContainText(OTP_REJECTED);
});

test("a request replayed twice at once pairs once", async ({ page }) => {
  const support = await createUser("support");
  await signIn(page, support);
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
  expect(one("select count(*) n from pairing_attempts where name = 'Replayed'")).toEqual({ n: 1 });
  expect(one("select count(*) n from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ?", other)).toEqual({ n: 1 });
  expect(one("select count(*) n from pairing_attempts where name = 'Replayed' and status = 'succeeded'")).toEqual({ n: 1 });
});

test("bad input gets field errors and calls nothing", async ({ page }) => {
  const support = await createUser("support");
  await signIn(page, support);
  const before = one("select count(*) n from pairing_attempts")!.n;
  await page.goto("/terminals/pair");
  await page.getByLabel("OTP").fill("<x>");
  await page.getByText("Advanced").click();
  await page.getByLabel("Another webhook URL").fill("http://example.com/hook");
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByText("Enter a name for this pairing.")).toBeVisible();
  await expect(page.getByText(/The OTP is 4 to 32 letters/)).toBeVisible();
  await expect(page.getByText("The webhook URL must use https (http is allowed only for localhost).")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  expect(one("select count(*) n from pairing_attempts")!.n).toBe(before);
});

test("Pay-Connect answering 500 is explained, recorded, and the same form can try again", async ({ page }) => {
  const support = await createUser("support");
  await signIn(page, support);
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await simFault(page.request, "pair_500", { terminalId });

  await submitPairForm(page, { name: "Flaky", otp });
  await expect(page.getByTestId("pair-error")).toContainText("Pay-Connect is unavailable");
  expect(one("select status, error_code from pairing_attempts where name = 'Flaky' and created_by_id = ?", support.id)).toEqual({
    status: "failed",
    error_code: "unavailable",
  });
  expect(one("select count(*) n from terminals where terminal_id = ?", terminalId)).toEqual({ n: 0 });

  // Same form (the name is kept; the OTP stays in the field, not echoed back by the server),
  // same OTP since Pay-Connect never used it: a second attempt, recorded separately.
  await expect(page.getByLabel("Name")).toHaveValue("Flaky");
  await expect(page.getByLabel("OTP")).toHaveValue(otp);
  await page.getByRole("button", { name: "Pair terminal" }).click();
  await expect(page.getByTestId("paired-notice")).toBeVisible();
  expect(all("select status from pairing_attempts where name = 'Flaky' and created_by_id = ? order by id", support.id)).toEqual([
    { status: "failed" },
    { status: "succeeded" },
  ]);
});

test("a Pay-Connect timeout leaves the attempt 'outcome unknown' with guidance", async ({ page }) => {
  const support = await createUser("support");
  await signIn(page, support);
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await simFault(page.request, "pair_slow", { terminalId, delayMs: 4_000 });

  await submitPairForm(page, { name: "Slow", otp });
  const error = page.getByTestId("pair-error");
  await expect(error).toContainText("Outcome unknown");
  await expect(error).toContainText("Check the terminal");
  expect(one("select status, error_code from pairing_attempts where name = 'Slow' and created_by_id = ?", support.id)).toEqual({
    status: "outcome_unknown",
    error_code: "timeout",
  });
  expect(one("select count(*) n from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ?", terminalId)).toEqual({ n: 0 });
  await page.goto("/attempts?status=outcome_unknown");
  const row = page.getByRole("row").filter({ hasText: "Slow" }).filter({ hasText: support.email });
  await expect(row).toContainText(/outcome unknown/i);
  await expect(row).toContainText("Check the terminal");
});

test("a failed database write spools the credentials; an admin completes the recovery from the dashboard", async ({ page, browser }) => {
  const support = await createUser("support");
  await signIn(page, support);
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);

  appDb().exec("create trigger e2e_fail_pairing before insert on pairings begin select raise(abort, 'injected fault'); end;");
  try {
    await submitPairForm(page, { name: "Spooled", otp });
    await expect(page.getByTestId("pair-error")).toContainText("needs recovery");
    await expect(page.getByTestId("pair-error")).toContainText("recovery spool");
  } finally {
    appDb().exec("drop trigger if exists e2e_fail_pairing");
  }
  const attempt = one("select id, status from pairing_attempts where name = 'Spooled' and created_by_id = ?", support.id)!;
  expect(attempt.status).toBe("needs_recovery");
  expect(one("select count(*) n from terminals where terminal_id = ?", terminalId)).toEqual({ n: 0 });

  // Support sees it on the dashboard but cannot complete it.
  await page.goto("/");
  const panel = page.getByTestId("needs-recovery");
  await expect(panel).toContainText(terminalId);
  await expect(panel.getByRole("button", { name: "Complete pairing" })).toHaveCount(0);
  const refused = await callAction(page, "/", "completeRecoveryAction", { attemptId: String(attempt.id) });
  expect(refused.text).toContain("Your role (support) cannot complete a pairing recovery.");
  expect(one("select status from pairing_attempts where id = ?", attempt.id)).toEqual({ status: "needs_recovery" });

  const admin: TestUser = await createUser("admin");
  const ctx = await browser.newContext();
  const apage = await ctx.newPage();
  await signIn(apage, admin);
  const row = apage.getByTestId("needs-recovery").getByRole("listitem").filter({ hasText: terminalId });
  await row.getByRole("button", { name: "Complete pairing" }).click();
  await expect(apage.getByRole("heading", { level: 1, name: `Terminal ${terminalId}` })).toBeVisible();
  expect(one("select status, recovered_at is not null r from pairing_attempts where id = ?", attempt.id)).toEqual({ status: "succeeded", r: 1 });
  const pairing = one("select p.id, p.created_by_id from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ?", terminalId)!;
  expect(pairing.created_by_id).toBe(support.id);
  expect(one("select count(*) n from pairing_secrets where pairing_id = ?", pairing.id)).toEqual({ n: 2 });
  expect(one("select actor_id from audit_log where action = 'pairing.recover' and target_id = ?", String(pairing.id))).toEqual({ actor_id: admin.id });
  await apage.goto("/");
  await expect(apage.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(apage.getByTestId("needs-recovery").getByText(terminalId)).toHaveCount(0);
  await ctx.close();
});

test("a viewer has no pairing form, and the action refuses a viewer who calls it anyway", async ({ page, browser }) => {
  const viewer = await createUser("viewer");
  await signIn(page, viewer);
  await expect(page.getByRole("link", { name: "Pair terminal" })).toHaveCount(0);
  await page.goto("/terminals");
  await expect(page.getByRole("link", { name: "Pair terminal" })).toHaveCount(0);
  await page.goto("/terminals/pair");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await expect(page.getByText("Your role (viewer) cannot pair terminals.")).toBeVisible();
  await expect(page.getByLabel("OTP")).toHaveCount(0);

  const attemptsBefore = one("select count(*) n from pairing_attempts")!.n;
  const direct = await callAction(page, "/terminals/pair", "pairTerminalAction", {
    requestKey: crypto.randomUUID(),
    name: "Sneaky",
    otp: "ABCD2345",
    environment: "sandbox",
    webhookUrl: "",
  });
  expect(direct.text).toContain("Your role (viewer) cannot pair terminals.");

  // A support user demoted to viewer while the form is open is refused on submit.
  const support = await createUser("support");
  const ctx = await browser.newContext();
  const spage = await ctx.newPage();
  await signIn(spage, support);
  await spage.goto("/terminals/pair");
  appDb().prepare("update users set role = 'viewer' where id = ?").run(support.id);
  await spage.getByLabel("Name").fill("Demoted");
  await spage.getByLabel("OTP").fill("ABCD2345");
  await spage.getByRole("button", { name: "Pair terminal" }).click();
  await expect(spage.getByTestId("pair-error")).toContainText("Your role (viewer) cannot pair terminals.");
  expect(one("select count(*) n from pairing_attempts")!.n).toBe(attemptsBefore);
  await ctx.close();
});
