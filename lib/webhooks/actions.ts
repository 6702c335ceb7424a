"use server";

/** The webhook inbox's server action: reprocess a stored delivery (lib/webhooks/reprocess.ts). */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionContext } from "../auth/access";
import { validatedAction, type ActionResult } from "../auth/safe-action";
import { reprocessDelivery } from "./reprocess";

const id = z.coerce.number({ error: "Missing id." }).int().positive();

export const reprocessDeliveryAction = validatedAction(
  "reprocessDelivery",
  "webhooks:reprocess",
  z.object({ deliveryId: id }),
  async ({ deliveryId }, user): Promise<ActionResult> => {
    const out = reprocessDelivery(actionContext(user), deliveryId, user);
    if (!out.ok) return { ok: false, error: out.error, code: "not_allowed" };
    revalidatePath("/", "layout");
    return { ok: true, data: undefined, message: out.message };
  },
);
