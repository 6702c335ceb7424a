"use server";

/**
 * The Merchants page's actions: staff admins only ("merchants:manage", checked by
 * validatedAction on every call). Each change and its audit entry are one transaction
 * (lib/merchants/merchants.ts); refusals are DomainErrors, mapped by the wrapper.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "../db/client";
import {
  createMerchant,
  merchantFormSchema,
  setMerchantStatus,
  updateMerchant,
} from "./merchants";
import { validatedAction, type ActionResult } from "../auth/safe-action";

const merchantIdSchema = z.coerce
  .number({ error: "Choose a merchant." })
  .int("Choose a merchant.")
  .positive("Choose a merchant.");

export const createMerchantAction = validatedAction(
  "merchants.create",
  "merchants:manage",
  merchantFormSchema,
  async (input, { user: actor }): Promise<ActionResult<{ id: number }>> => {
    const merchant = await createMerchant(getDb(), input, { id: actor.id, email: actor.email });
    revalidatePath("/", "layout");
    return { ok: true, data: { id: merchant.id }, message: `Added the merchant ${merchant.name}.` };
  },
);

export const updateMerchantAction = validatedAction(
  "merchants.update",
  "merchants:manage",
  merchantFormSchema.extend({ merchantId: merchantIdSchema }),
  async ({ merchantId, ...input }, { user: actor }): Promise<ActionResult> => {
    const merchant = await updateMerchant(getDb(), merchantId, input, { id: actor.id, email: actor.email });
    revalidatePath("/", "layout");
    return { ok: true, data: undefined, message: merchant ? `Saved ${merchant.name}.` : "Nothing changed." };
  },
);

export const setMerchantStatusAction = validatedAction(
  "merchants.set_status",
  "merchants:manage",
  z.object({
    merchantId: merchantIdSchema,
    status: z.enum(["active", "suspended"], { error: "Choose active or suspended." }),
  }),
  async ({ merchantId, status }, { user: actor }): Promise<ActionResult> => {
    const { merchant, changed, sessionsEnded } = await setMerchantStatus(getDb(), merchantId, status, {
      id: actor.id,
      email: actor.email,
    });
    revalidatePath("/", "layout");
    const message = !changed
      ? `${merchant.name} was already ${status}.`
      : status === "suspended"
        ? `${merchant.name} is suspended: its people cannot sign in${sessionsEnded ? ` (${sessionsEnded} session${sessionsEnded === 1 ? "" : "s"} ended)` : ""}, and nothing can be paired into it.`
        : `${merchant.name} is active again: its people can sign in.`;
    return { ok: true, data: undefined, message };
  },
);
