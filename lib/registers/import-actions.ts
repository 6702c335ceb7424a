"use server";

/**
 * Importing registers from a CSV file (registers:manage): `mode=preview` is the dry run, which
 * writes nothing; `mode=import` writes all the file's new registers or none. The file's text is
 * read in the browser (UTF-8, checked there and here) and sent as a field; the proxy lets this
 * page's submissions be as large as the biggest file accepted.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { owningMerchant } from "../auth/scope";
import { MAX_IMPORT_BYTES, type ImportError } from "./csv-parse";
import type { ImportPlan } from "./csv-plan";
import { applyImport, previewImport } from "./import";
import { idSchema } from "./schemas";
import { validatedAction, type ActionResult } from "../auth/safe-action";

export type ImportResult =
  | { mode: "preview" | "import"; ok: true; plan: ImportPlan; created: number }
  | { mode: "preview" | "import"; ok: false; errors: ImportError[] };

export const importRegistersAction = validatedAction(
  "registers.import",
  "registers:manage",
  z.object({
    merchantId: z.preprocess((v) => (v === "" || v === undefined ? undefined : v), idSchema("a merchant").optional()),
    mode: z.enum(["preview", "import"], { error: "Preview the file first." }),
    csv: z
      .string({ error: "Choose a CSV file." })
      .min(1, "Choose a CSV file: this one is empty.")
      .max(MAX_IMPORT_BYTES, `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB: split it into smaller files.`),
  }),
  async ({ merchantId, mode, csv }, { user, ctx }): Promise<ActionResult<ImportResult>> => {
    const merchant = owningMerchant(user, merchantId, "Choose the merchant whose registers these are.");
    const outcome = mode === "preview" ? await previewImport(ctx, merchant, csv) : await applyImport(ctx, merchant, csv, user);
    if (mode === "import" && outcome.ok) revalidatePath("/", "layout");
    const message = !outcome.ok
      ? undefined
      : mode === "preview"
        ? undefined
        : outcome.created === 0
          ? "Nothing new to import: every register in the file is already there."
          : `Imported ${outcome.created} register${outcome.created === 1 ? "" : "s"}.`;
    return { ok: true, data: { mode, ...outcome } as ImportResult, message };
  },
);
