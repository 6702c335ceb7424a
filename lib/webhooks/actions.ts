"use server";

/** The webhook inbox's server action: reprocess a stored delivery (lib/webhooks/reprocess.ts). */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { refused, validatedAction, type ActionResult } from "../auth/safe-action";
import { reprocessDelivery } from "./reprocess";

const id = z.coerce.number({ error: "Missing id." }).int().positive();

export const reprocessDeliveryAction = validatedAction(
  "reprocessDelivery",
  "webhooks:reprocess",
  z.object({ deliveryId: id }),
  async ({ deliveryId }, { user, ctx }): Promise<ActionResult> => {
    const out = await reprocessDelivery(ctx, deliveryId, user);
    if (!out.ok) return refused(out);
    revalidatePath("/", "layout");
    return { ok: true, data: undefined, message: out.message };
  },
);
