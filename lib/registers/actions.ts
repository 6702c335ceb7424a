"use server";

/**
 * Locations, registers and routes. Every action checks its permission (validatedAction), then
 * works in the user's own authority (actionContext: another merchant's location, register or
 * terminal is "not found"); the database holds the routing rules and refuses what breaks one
 * (lib/registers/rules.ts). Refusals are DomainErrors, which the wrapper turns into the form's
 * message (and the field's, for a rule about one field).
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { owningMerchant } from "../auth/scope";
import { REGISTER_KINDS } from "../domain";
import { invalid } from "../errors";
import { archiveLocation, createLocation, updateLocation } from "./locations";
import { archiveRegister, createRegister, updateRegister } from "./registers";
import { routeRegister } from "./routing";
import { idSchema, locationFormSchema, registerFormSchema } from "./schemas";
import { validatedAction, type ActionResult } from "../auth/safe-action";

/** "" → undefined, for optional id fields. */
const optionalId = (what: string) =>
  z.preprocess((v) => (v === "" || v === undefined || v === null ? undefined : v), idSchema(what).optional());

export const createLocationAction = validatedAction(
  "locations.create",
  "registers:manage",
  locationFormSchema.extend({ merchantId: optionalId("a merchant") }),
  async ({ merchantId, ...input }, { user, ctx, actor }): Promise<ActionResult<{ id: number }>> => {
    const merchant = owningMerchant(user, merchantId, "Choose the merchant this location belongs to.");
    const location = await createLocation(ctx, merchant, input, actor);
    revalidatePath("/", "layout");
    return { ok: true, data: { id: location.id }, message: `Added the location ${location.name}.` };
  },
);

export const updateLocationAction = validatedAction(
  "locations.update",
  "registers:manage",
  locationFormSchema.extend({ locationId: idSchema("a location") }),
  async ({ locationId, ...input }, { ctx, actor }): Promise<ActionResult> => {
    const { location, changed } = await updateLocation(ctx, locationId, input, actor);
    revalidatePath("/", "layout");
    return { ok: true, data: undefined, message: changed ? `Saved ${location.name}.` : "Nothing changed." };
  },
);

export const archiveLocationAction = validatedAction(
  "locations.archive",
  "registers:manage",
  z.object({ locationId: idSchema("a location") }),
  async ({ locationId }, { ctx, actor }): Promise<ActionResult> => {
    const location = await archiveLocation(ctx, locationId, actor);
    revalidatePath("/", "layout");
    return { ok: true, data: undefined, message: `Archived the location ${location.name}.` };
  },
);

export const createRegisterAction = validatedAction(
  "registers.create",
  "registers:manage",
  registerFormSchema.extend({
    locationId: idSchema("a location"),
    kind: z.enum(REGISTER_KINDS, { error: "Choose physical or virtual." }),
    parentId: optionalId("the physical register"),
  }),
  async ({ locationId, kind, parentId, ...input }, { ctx, actor }): Promise<ActionResult<{ id: number; registerId: string }>> => {
    if (kind === "virtual" && parentId === undefined) throw invalid("parentId", "Choose the physical register this virtual register belongs to.");
    const register = await createRegister(
        ctx,
        { locationId, kind, parentId: kind === "virtual" ? (parentId ?? null) : null, ...input },
        actor
    );
    revalidatePath("/", "layout");
    return {
      ok: true,
      data: { id: register.id, registerId: register.registerId },
      message: `Added the ${kind === "virtual" ? "virtual register" : "register"} ${register.name}.`,
    };
  },
);

export const updateRegisterAction = validatedAction(
  "registers.update",
  "registers:manage",
  registerFormSchema.extend({ registerId: idSchema("a register") }),
  async ({ registerId, ...input }, { ctx, actor }): Promise<ActionResult> => {
    const { register, changed } = await updateRegister(ctx, registerId, input, actor);
    revalidatePath("/", "layout");
    return { ok: true, data: undefined, message: changed ? `Saved ${register.name}.` : "Nothing changed." };
  },
);

export const archiveRegisterAction = validatedAction(
  "registers.archive",
  "registers:manage",
  z.object({ registerId: idSchema("a register") }),
  async ({ registerId }, { ctx, actor }): Promise<ActionResult> => {
    const { register, unroutedFrom } = await archiveRegister(ctx, registerId, actor);
    revalidatePath("/", "layout");
    return {
      ok: true,
      data: undefined,
      message: unroutedFrom
        ? `Archived ${register.name}; it no longer sends payments to ${unroutedFrom}.`
        : `Archived ${register.name}.`,
    };
  },
);

/** The route the user saw when they chose ("" = unrouted), so that a route changed meanwhile is refused. */
const expectedRoute = z.preprocess(
  (v) => (v === "" ? null : v),
  z.union([z.null(), idSchema("the current route")]).optional(),
);

export const routeRegisterAction = validatedAction(
  "registers.route",
  "registers:route",
  z.object({ registerId: idSchema("a register"), terminalRef: idSchema("a paired terminal"), expectedTerminalRef: expectedRoute }),
  async ({ registerId, terminalRef, expectedTerminalRef }, { ctx, actor }): Promise<ActionResult> => {
    const out = await routeRegister(ctx, registerId, terminalRef, actor, expectedTerminalRef);
    revalidatePath("/", "layout");
    if (!out.changed) return { ok: true, data: undefined, message: `${out.register.name} already sends its payments to ${out.to?.terminalId}.` };
    const left = out.from
      ? ` ${out.from.terminalId} stays paired${out.from.otherRegisters > 0 ? ` for its ${out.from.otherRegisters} other register${out.from.otherRegisters === 1 ? "" : "s"}` : ""}.`
      : "";
    return { ok: true, data: undefined, message: `${out.register.name} now sends its payments to ${out.to?.terminalId}.${left}` };
  },
);

export const unrouteRegisterAction = validatedAction(
  "registers.unroute",
  "registers:route",
  z.object({ registerId: idSchema("a register"), expectedTerminalRef: expectedRoute }),
  async ({ registerId, expectedTerminalRef }, { ctx, actor }): Promise<ActionResult> => {
    const out = await routeRegister(ctx, registerId, null, actor, expectedTerminalRef);
    revalidatePath("/", "layout");
    return {
      ok: true,
      data: undefined,
      message: out.changed
        ? `${out.register.name} is unrouted: it sends payments nowhere until it is routed again. ${out.from?.terminalId} stays paired.`
        : `${out.register.name} was not routed.`,
    };
  },
);
