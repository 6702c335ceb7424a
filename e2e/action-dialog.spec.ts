/**
 * The action dialog (components/ui/action-dialog.tsx): each opening starts clean. A refusal
 * from the last try is gone and the fields hold the saved values again, whichever dialog it is.
 */
import type { Page } from "@playwright/test";
import { appDb, expect, test } from "./fixtures";
import { seedMerchant, uniqueTag } from "./seed";

const merchantRow = (page: Page, name: string) => page.getByTestId("merchant-row").filter({ hasText: name });

test("a dialog reopened after a refusal starts from the saved values, with no refusal", async ({ page, asRole }) => {
  await asRole("admin");
  const tag = uniqueTag(4);
  const mine = await seedMerchant(`Dialog ${tag}`);
  const taken = await seedMerchant(`Dialog taken ${tag}`);
  await page.goto(`/merchants?q=${encodeURIComponent(mine.name)}`);
  const row = merchantRow(page, mine.name).filter({ hasNotText: taken.name });

  await row.getByRole("button", { name: `Edit ${mine.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Edit ${mine.name}` });
  const name = dialog.getByLabel("Name", { exact: true });
  await name.fill(taken.name);
  await dialog.getByRole("button", { name: "Save merchant" }).click();
  const refusal = dialog.getByText(`A merchant named “${taken.name}” already exists.`);
  await expect(refusal).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  await row.getByRole("button", { name: `Edit ${mine.name}` }).click();
  await expect(dialog).toBeVisible();
  await expect(name).toHaveValue(mine.name);
  await expect(refusal).toHaveCount(0);
  await expect(dialog.getByTestId("edit-merchant-error")).toHaveCount(0);
});

test("a confirmation reopened after a refusal shows no refusal (it was kept before the action dialog)", async ({ page, asRole }) => {
  await asRole("admin");
  const gone = await seedMerchant(`Dialog gone ${uniqueTag(4)}`);
  await page.goto(`/merchants?q=${encodeURIComponent(gone.name)}`);
  const row = merchantRow(page, gone.name);
  // Deleted behind the page's back: Suspend is refused.
  appDb().prepare("delete from merchants where id = ?").run(gone.id);

  await row.getByRole("button", { name: `Suspend ${gone.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Suspend ${gone.name}?` });
  await dialog.getByRole("button", { name: "Suspend merchant" }).click();
  await expect(dialog.getByTestId("merchant-status-error")).toHaveText("That merchant no longer exists. Reload the page.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  await row.getByRole("button", { name: `Suspend ${gone.name}` }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Suspend merchant" })).toBeEnabled();
  await expect(dialog.getByTestId("merchant-status-error")).toHaveCount(0);
});
