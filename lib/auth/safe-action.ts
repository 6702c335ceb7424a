/**
 * The one wrapper every server action goes through: session → permission → zod parse of the
 * form → handler → a result the form can show. The handler receives the session: the user, the
 * query context of their own authority (another merchant's ids are "not found" through it) and
 * the actor for audit entries — as dub's authActionClient puts the workspace in `ctx`.
 *
 * A refusal is a thrown DomainError (lib/errors.ts), mapped here once: its sentence, its code,
 * and its field's error when it names one. Anything else thrown is unexpected: logged (never with
 * form values) and answered with a generic sentence; nothing from it reaches the browser.
 * Arguments that are not form data get a clear failure, never a 500.
 */
import { isDatabaseUnavailable } from "../db/errors";
import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { DomainError } from "../errors";
import { log } from "../log";
import { actionContext } from "./access";
import { requireUser, type SessionUser } from "./auth";
import type { Permission } from "./permissions";
import type { QueryContext } from "./scope";

/** What an action's handler is given besides its input. */
export type ActionSession = {
  user: SessionUser;
  /** The user's own authority: every merchant for staff, their merchant for a merchant's people. */
  ctx: QueryContext;
  /** For audit entries. */
  actor: { id: number; email: string };
};

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

function formToObject(formData: FormData): Record<string, unknown> {
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
const MAX_ECHOED_LENGTH = 2000;

/** The submitted text fields, less passwords, secrets, one-time codes and oversized values. */
function echoValues(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "string" && v.length <= MAX_ECHOED_LENGTH && !/password|secret|otp/i.test(k)) out[k] = v;
  }
  return out;
}

const NOT_FORM_DATA =
  "This request did not come from a Pairdesk form. Reload the page and submit the form again.";

const NUL_MESSAGE = "This contains a NUL character (\\0), which cannot be stored: remove it.";

/** The fields of a form that hold a NUL byte, each with its message; null when none does. */
export function nulFieldErrors(fields: Record<string, unknown>): FieldErrors | null {
  const withNul = Object.keys(fields).filter((k) => typeof fields[k] === "string" && (fields[k] as string).includes("\u0000"));
  return withNul.length > 0 ? Object.fromEntries(withNul.map((k) => [k, [NUL_MESSAGE]])) : null;
}

/** What an action answers when the database does not answer (whether it saved is not known if the connection broke at the commit). */
const DATABASE_UNAVAILABLE =
  "The database is not answering right now, so this was probably not saved. Reload the page in a minute to see whether it was before trying again; if it keeps failing, tell an operator (the database check of /api/health says so too).";

export function validatedAction<S extends z.ZodType, T>(
  name: string,
  permission: Permission,
  schema: S,
  handler: (input: z.output<S>, session: ActionSession) => Promise<ActionResult<T>>,
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
      if (err instanceof DomainError) {
        log.warn({ action: name, code: err.code }, "action refused");
        return refused(err);
      }
      throw err;
    }
    const fields = formToObject(formData);
    // A NUL byte is no character a person types, and Postgres cannot store one in text: refused
    // here for every form, by field, before anything reads it (SQLite would have kept it, and
    // such a database could not move to Postgres).
    const nul = nulFieldErrors(fields);
    if (nul) return { ok: false, error: "Some fields need attention.", fieldErrors: nul, code: "invalid" };
    const parsed = schema.safeParse(fields);
    if (!parsed.success) {
      return {
        ok: false,
        error: "Some fields need attention.",
        fieldErrors: fieldErrorsOf(parsed.error),
        code: "invalid",
      };
    }
    try {
      return await handler(parsed.data, { user, ctx: actionContext(user), actor: { id: user.id, email: user.email } });
    } catch (err) {
      unstable_rethrow(err);
      if (err instanceof DomainError) {
        // Who was refused what, by code: a reach for another merchant's id shows up here too.
        log.info({ action: name, userId: user.id, code: err.code }, "action refused");
        return refused(err);
      }
      if (isDatabaseUnavailable(err)) {
        log.error({ action: name, userId: user.id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, "action failed: the database is unavailable");
        return { ok: false, error: DATABASE_UNAVAILABLE, code: "unavailable" };
      }
      log.error({ action: name, userId: user.id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, "action failed");
      return { ok: false, error: "Something went wrong on the server. Try again; if it keeps failing, an operator can find the details in the server log.", code: "internal" };
    }
  }
}

/**
 * A DomainError, or a command's returned Failure, as the form's failure: the sentence, the code,
 * and the field's error if it names one.
 */
export function refused(err: { code: string; message: string; field?: string }): ActionResult<never> {
  return {
    ok: false,
    error: err.message,
    code: err.code,
    fieldErrors: err.field ? { [err.field]: [err.message] } : undefined,
  };
}
