"use server";

/**
 * Locations, registers and routes. Every action checks its permission (validatedAction), then
 * works in the user's own authority (actionContext: another merchant's location, register or
 * terminal is "not found"); the database holds the routing rules and refuses what breaks one
 * (lib/registers/rules.ts), with the message returned to the form. Refusals are returned,
 * never thrown.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionContext } from "../auth/access";
import { isMerchantRole, REGISTER_KINDS } from "../domain";
import { archiveLocation, createLocation, MerchantSuspendedChange, NotFoundError, updateLocation } from "./locations";
import { archiveRegister, createRegister, updateRegister } from "./registers";
import { RouteChangedError, routeRegister } from "./routing";
import { RuleViolation } from "./rules";
import { idSchema, locationFormSchema, registerFormSchema } from "./schemas";
import { validatedAction, type ActionResult } from "../auth/safe-action";

/** Which field a rule's refusal belongs to, when it is about one. */
const RULE_FIELDS: Partial<Record<string, string>> = {
  location_name_taken: "name",
  register_name_taken: "name",
  register_external_ref_taken: "externalRef",
  register_parent: "parentId",
  route_unpaired: "terminalRef",
  route_other_merchant: "terminalRef",
};

function refused(err: unknown): ActionResult<never> {
  if (err instanceof RuleViolation) {
    const field = RULE_FIELDS[err.code];
    return { ok: false, error: err.message, code: err.code, fieldErrors: field ? { [field]: [err.message] } : undefined };
  }
  if (err instanceof NotFoundError) return { ok: false, error: err.message, code: "not_found" };
  if (err instanceof MerchantSuspendedChange) return { ok: false, error: err.message, code: "merchant_suspended" };
  if (err instanceof RouteChangedError) return { ok: false, error: err.message, code: "route_changed" };
  throw err;
}

const actorOf = (user: { id: number; email: string }) => ({ id: user.id, email: user.email });

/** "" → undefined, for optional id fields. */
const optionalId = (what: string) =>
  z.preprocess((v) => (v === "" || v === undefined || v === null ? undefined : v), idSchema(what).optional());

export const createLocationAction = validatedAction(
  "locations.create",
  "registers:manage",
  locationFormSchema.extend({ merchantId: optionalId("a merchant") }),
  async ({ merchantId, ...input }, user): Promise<ActionResult<{ id: number }>> => {
    const merchant = isMerchantRole(user.role) ? user.merchantId : (merchantId ?? null);
    if (merchant === null) {
      const message = "Choose the merchant this location belongs to.";
      return { ok: false, error: message, code: "invalid", fieldErrors: { merchantId: [message] } };
    }
    try {
      const location = createLocation(actionContext(user), merchant, input, actorOf(user));
      revalidatePath("/", "layout");
      return { ok: true, data: { id: location.id }, message: `Added the location ${location.name}.` };
    } catch (err) {
      return refused(err);
    }
  },
);

export const updateLocationAction = validatedAction(
  "locations.update",
  "registers:manage",
  locationFormSchema.extend({ locationId: idSchema("a location") }),
  async ({ locationId, ...input }, user): Promise<ActionResult> => {
    try {
      const { location, changed } = updateLocation(actionContext(user), locationId, input, actorOf(user));
      revalidatePath("/", "layout");
      return { ok: true, data: undefined, message: changed ? `Saved ${location.name}.` : "Nothing changed." };
    } catch (err) {
      return refused(err);
    }
  },
);

export const archiveLocationAction = validatedAction(
  "locations.archive",
  "registers:manage",
  z.object({ locationId: idSchema("a location") }),
  async ({ locationId }, user): Promise<ActionResult> => {
    try {
      const location = archiveLocation(actionContext(user), locationId, actorOf(user));
      revalidatePath("/", "layout");
      return { ok: true, data: undefined, message: `Archived the location ${location.name}.` };
    } catch (err) {
      return refused(err);
    }
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
  async ({ locationId, kind, parentId, ...input }, user): Promise<ActionResult<{ id: number; registerId: string }>> => {
    if (kind === "virtual" && parentId === undefined) {
      const message = "Choose the physical register this virtual register belongs to.";
      return { ok: false, error: message, code: "invalid", fieldErrors: { parentId: [message] } };
    }
    try {
      const register = createRegister(
        actionContext(user),
        { locationId, kind, parentId: kind === "virtual" ? (parentId ?? null) : null, ...input },
        actorOf(user),
      );
      revalidatePath("/", "layout");
      return {
        ok: true,
        data: { id: register.id, registerId: register.registerId },
        message: `Added the ${kind === "virtual" ? "virtual register" : "register"} ${register.name}.`,
      };
    } catch (err) {
      return refused(err);
    }
  },
);

export const updateRegisterAction = validatedAction(
  "registers.update",
  "registers:manage",
  registerFormSchema.extend({ registerId: idSchema("a register") }),
  async ({ registerId, ...input }, user): Promise<ActionResult> => {
    try {
      const { register, changed } = updateRegister(actionContext(user), registerId, input, actorOf(user));
      revalidatePath("/", "layout");
      return { ok: true, data: undefined, message: changed ? `Saved ${register.name}.` : "Nothing changed." };
    } catch (err) {
      return refused(err);
    }
  },
);

export const archiveRegisterAction = validatedAction(
  "registers.archive",
  "registers:manage",
  z.object({ registerId: idSchema("a register") }),
  async ({ registerId }, user): Promise<ActionResult> => {
    try {
      const { register, unroutedFrom } = archiveRegister(actionContext(user), registerId, actorOf(user));
      revalidatePath("/", "layout");
      return {
        ok: true,
        data: undefined,
        message: unroutedFrom
          ? `Archived ${register.name}; it no longer sends payments to ${unroutedFrom}.`
          : `Archived ${register.name}.`,
      };
    } catch (err) {
      return refused(err);
    }
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
  async ({ registerId, terminalRef, expectedTerminalRef }, user): Promise<ActionResult> => {
    try {
      const out = routeRegister(actionContext(user), registerId, terminalRef, actorOf(user), expectedTerminalRef);
      revalidatePath("/", "layout");
      if (!out.changed) return { ok: true, data: undefined, message: `${out.register.name} already sends its payments to ${out.to?.terminalId}.` };
      const left = out.from
        ? ` ${out.from.terminalId} stays paired${out.from.otherRegisters > 0 ? ` for its ${out.from.otherRegisters} other register${out.from.otherRegisters === 1 ? "" : "s"}` : ""}.`
        : "";
      return { ok: true, data: undefined, message: `${out.register.name} now sends its payments to ${out.to?.terminalId}.${left}` };
    } catch (err) {
      return refused(err);
    }
  },
);

export const unrouteRegisterAction = validatedAction(
  "registers.unroute",
  "registers:route",
  z.object({ registerId: idSchema("a register"), expectedTerminalRef: expectedRoute }),
  async ({ registerId, expectedTerminalRef }, user): Promise<ActionResult> => {
    try {
      const out = routeRegister(actionContext(user), registerId, null, actorOf(user), expectedTerminalRef);
      revalidatePath("/", "layout");
      return {
        ok: true,
        data: undefined,
        message: out.changed
          ? `${out.register.name} is unrouted: it sends payments nowhere until it is routed again. ${out.from?.terminalId} stays paired.`
          : `${out.register.name} was not routed.`,
      };
    } catch (err) {
      return refused(err);
    }
  },
);
