/**
 * The recovery path's last resort and the dashboard's figures, on a server of this spec's own
 * (a setting of its own, and a database no other test writes to, so that counts are exact).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, signIn, simOtp, simTerminal, submitPairForm, test } from "./fixtures";
import { E2E_MERCHANT } from "./seed";
import { createOwnUser, OWN_URL, ownDatabaseBytes, ownDataDir, ownDb, ownServerLifecycle } from "./own-server";

const { start } = ownServerLifecycle();

test("when neither the database nor the spool can be written, the log line carries the sealed pairing, the dashboard says to run npm run recover, and the import completes", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const dir = ownDataDir("last-resort");
  // RECOVERY_DIR points at a file: the spool cannot be written.
  const recoveryDir = path.join(dir, "recovery");
  fs.writeFileSync(recoveryDir, "not a folder");
  const server = await start(dir, { RECOVERY_DIR: recoveryDir });
  const support = await createOwnUser(server, "support");
  const admin = await createOwnUser(server, "admin");

  const name = `Last resort ${Date.now().toString(36)}`;
  const db = ownDb(server.dbPath);
  // The database write fails for this pairing only.
  db.exec(`create trigger e2e_fail_pairing before insert on pairings when NEW.name = '${name}' begin select raise(abort, 'disk I/O error'); end;`);

  await signIn(page, support);
  const terminalId = await simTerminal(page.request);
  const otp = await simOtp(page.request, terminalId);
  await submitPairForm(page, { name, otp });
  const error = page.getByTestId("pair-error");
  await expect(error).toContainText("Paired, but not saved: needs recovery");
  await expect(error).toContainText("The credentials are sealed in the server log");
  await expect(error).toContainText("npm run recover -- --from-log");
  await expect(error).not.toContainText("lost");

  const attempt = db.prepare("select id, status, error_code, terminal_id from pairing_attempts where name = ?").get(name) as Record<string, unknown>;
  expect(attempt).toMatchObject({ status: "needs_recovery", error_code: "credentials_in_log", terminal_id: terminalId });

  // The fatal line: everything a recovery needs, sealed; no secret in plaintext.
  const sim = ownDb(server.simulatorDbPath);
  const webhookSecret = (sim.prepare("select webhook_secret_key from pairings where terminal_id = ?").get(terminalId) as { webhook_secret_key: string }).webhook_secret_key;
  sim.close();
  expect(webhookSecret).toBeTruthy();
  await expect.poll(() => server.log()).toContain('"event":"pair_unsaved_in_log"');
  const fatal = server
    .log()
    .split("\n")
    .filter((l) => l.includes('"event":"pair_unsaved_in_log"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)[0]!;
  expect(fatal).toMatchObject({
    level: 60,
    recovery: {
      attemptId: attempt.id,
      environment: "sandbox",
      terminalId,
      pairingName: name,
      webhookUrl: expect.stringMatching(/\/api\/webhooks\/pay-connect\/[A-Za-z0-9_-]{16,}$/),
      webhookToken: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/),
      createdById: support.id,
      sealed: { keyId: "k1", nonce: expect.any(String), ciphertext: expect.any(String) },
    },
  });
  expect(server.log()).not.toContain(webhookSecret);
  expect(server.log()).not.toContain(otp);

  // The dashboard flags it with the command to run, and offers no completion yet.
  const ctx = await browser.newContext({ baseURL: OWN_URL });
  const apage = await ctx.newPage();
  await signIn(apage, admin);
  const item = apage.getByTestId("needs-recovery").getByRole("listitem").filter({ hasText: terminalId });
  await expect(item).toHaveAttribute("data-source", "log");
  await expect(item).toContainText("Credentials only in the server log");
  await expect(item).toContainText("npm run recover -- --from-log <server log file>");
  await expect(item.getByRole("button", { name: "Complete pairing" })).toHaveCount(0);
  await apage.goto("/attempts?status=needs_recovery");
  await expect(apage.getByRole("row").filter({ hasText: name })).toContainText("npm run recover");

  // The operator mends the spool folder and imports the log, as the message says.
  fs.rmSync(recoveryDir);
  db.exec("drop trigger e2e_fail_pairing");
  const run = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/ops/recover.ts", "--from-log", server.logFile], {
    env: { ...process.env, DATABASE_PATH: server.dbPath, RECOVERY_DIR: recoveryDir },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(`Attempt ${attempt.id} (sandbox terminal ${terminalId}, "${name}"): imported into the recovery spool`);
  expect(fs.readFileSync(path.join(recoveryDir, `attempt-${attempt.id}.json`), "utf8")).not.toContain(webhookSecret);

  // Now the normal recovery completes it.
  await apage.goto("/");
  const ready = apage.getByTestId("needs-recovery").getByRole("listitem").filter({ hasText: terminalId });
  await expect(ready).toHaveAttribute("data-source", "spool");
  await ready.getByRole("button", { name: "Complete pairing" }).click();
  await expect(apage.getByRole("heading", { level: 1, name: `Terminal ${terminalId}` })).toBeVisible();
  await ctx.close();

  expect(db.prepare("select status, recovered_at is not null r from pairing_attempts where id = ?").get(attempt.id)).toEqual({ status: "succeeded", r: 1 });
  const pairing = db
    .prepare("select p.id, p.status, p.created_by_id from pairings p join terminals t on t.id = p.terminal_ref where t.terminal_id = ?")
    .get(terminalId) as Record<string, unknown>;
  expect(pairing).toMatchObject({ status: "active", created_by_id: support.id });
  expect(db.prepare("select count(*) n from pairing_secrets where pairing_id = ?").get(pairing.id)).toEqual({ n: 2 });
  expect(fs.readdirSync(recoveryDir)).toEqual([]);
  db.close();
  expect(ownDatabaseBytes(server.dbPath).includes(Buffer.from(webhookSecret))).toBe(false);
});

test("the dashboard counts paired, unpaired and never-paired terminals per environment", async ({ page }) => {
  test.setTimeout(120_000);
  const server = await start(ownDataDir("counts"));
  const admin = await createOwnUser(server, "admin");
  await signIn(page, admin);

  // Sandbox, through the simulator: two paired, then one of them unpaired.
  const pair = async (name: string) => {
    const terminalId = await simTerminal(page.request);
    await submitPairForm(page, { name, otp: await simOtp(page.request, terminalId) });
    await expect(page.getByTestId("paired-notice")).toBeVisible();
    return terminalId;
  };
  await pair("Kept till");
  await pair("Ended till");
  await page.getByRole("button", { name: "Unpair" }).click();
  await page.getByRole("button", { name: "Unpair terminal" }).click();
  await expect(page.getByText("unpaired").first()).toBeVisible();

  // Terminals known without a pairing (and production ones) are written straight in.
  const db = ownDb(server.dbPath);
  try {
    // Into the own server's one merchant (e2e/own-server.ts), as the pairings above.
    const merchant = (db.prepare("select id from merchants where name = ?").get(E2E_MERCHANT) as { id: number }).id;
    const insert = db.prepare(`insert into terminals (environment, terminal_id, merchant_id) values (?, ?, ${merchant})`);
    insert.run("sandbox", "SB-NEVER");
    const p1 = Number(insert.run("production", "PR-PAIRED").lastInsertRowid);
    const p2 = Number(insert.run("production", "PR-ENDED").lastInsertRowid);
    insert.run("production", "PR-NEVER-1");
    insert.run("production", "PR-NEVER-2");
    const pairing = db.prepare(
      `insert into pairings (terminal_ref, merchant_id, pay_connect_id, name, client_id, has_webhook_secret, status, created_by_id) values (?, ${merchant}, ?, 'Till', ?, 0, ?, ?)`,
    );
    pairing.run(p1, "pc-pr-1", "c-pr-1", "active", admin.id);
    pairing.run(p2, "pc-pr-2", "c-pr-2", "unpaired", admin.id);
    expect(db.prepare("select status from pairings where terminal_ref in (select id from terminals where environment = 'sandbox') order by id").all()).toEqual([
      { status: "active" },
      { status: "unpaired" },
    ]);
  } finally {
    db.close();
  }

  await page.goto("/");
  await expect(page.getByTestId("count-sandbox")).toHaveText("3");
  await expect(page.getByTestId("breakdown-sandbox")).toHaveText("1 paired · 1 unpaired · 1 never paired");
  await expect(page.getByTestId("count-production")).toHaveText("4");
  await expect(page.getByTestId("breakdown-production")).toHaveText("1 paired · 1 unpaired · 2 never paired");
  // The live refresh (the dashboard API) agrees.
  const live = (await (await page.request.get("/api/dashboard")).json()) as { byEnvironment: Record<string, unknown>[] };
  expect(live.byEnvironment).toContainEqual({ environment: "sandbox", total: 3, paired: 1, unpaired: 1, neverPaired: 1 });
  expect(live.byEnvironment).toContainEqual({ environment: "production", total: 4, paired: 1, unpaired: 1, neverPaired: 2 });
});
