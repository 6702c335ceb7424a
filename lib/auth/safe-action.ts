/**
 * The one wrapper every server action goes through: session → permission → zod parse of the
 * form → handler → a result the form can show. Handlers RETURN their failures
 * (`{ ok: false, error, fieldErrors?, code? }`) and throw only for the unexpected: such an
 * error is logged (never with form values) and becomes a generic message; nothing from it
 * reaches the browser. Arguments that are not form data get a clear failure, never a 500.
 */
import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { AuthError, requireUser, type SessionUser } from "./auth";
import { log } from "../log";
import type { Permission } from "./permissions";

export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | {
      ok: false;
      error: string;
      fieldErrors?: FieldErrors;
      code?: string;
      retryKey?: string;
      /** What was submitted (never a password), so the form can show it again. */
      values?: Record<string, string>;
    };

export function formToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    out[key] = typeof value === "string" ? value : value.name;
  }
  return out;
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Longer submitted values are not sent back to the form (no field takes that much). */
export const MAX_ECHOED_LENGTH = 2000;

/** The submitted text fields, less passwords, secrets, one-time codes and oversized values. */
function echoValues(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "string" && v.length <= MAX_ECHOED_LENGTH && !/password|secret|otp/i.test(k)) out[k] = v;
  }
  return out;
}

export const NOT_FORM_DATA =
  "This request did not come from a Pairdesk form. Reload the page and submit the form again.";

export function validatedAction<S extends z.ZodType, T>(
  name: string,
  permission: Permission,
  schema: S,
  handler: (input: z.output<S>, user: SessionUser) => Promise<ActionResult<T>>,
) {
  return async (prev: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> => {
    // A hostile client can send any arguments; the forms always send FormData.
    if (!(formData instanceof FormData)) {
      log.warn({ action: name }, "action called without form data");
      return { ok: false, error: NOT_FORM_DATA, code: "bad_request" };
    }
    const result = await run(prev, formData);
    if (result.ok) return result;
    return { ...result, values: { ...echoValues(formToObject(formData)), ...result.values } };
  };

  async function run(_prev: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> {
    let user: SessionUser;
    try {
      user = await requireUser(permission);
    } catch (err) {
      if (err instanceof AuthError) {
        log.warn({ action: name, status: err.status }, "action refused");
        return { ok: false, error: err.message, code: err.status === 401 ? "unauthenticated" : "forbidden" };
      }
      throw err;
    }
    const parsed = schema.safeParse(formToObject(formData));
    if (!parsed.success) {
      return {
        ok: false,
        error: "Some fields need attention.",
        fieldErrors: fieldErrorsOf(parsed.error),
        code: "invalid",
      };
    }
    try {
      return await handler(parsed.data, user);
    } catch (err) {
      unstable_rethrow(err);
      log.error({ action: name, userId: user.id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, "action failed");
      return { ok: false, error: "Something went wrong on the server. Try again; if it keeps failing, an operator can find the details in the server log.", code: "internal" };
    }
  }
}
