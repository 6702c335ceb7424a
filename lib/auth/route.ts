/**
 * The wrapper of every route handler that reads the app's data: session → permission → the
 * query context (the user's authority, or the list's merchant view) → handler. A DomainError
 * thrown on the way — no session (401), no permission (403), not found (404), a refusal (409) —
 * becomes an answer with its code's status: JSON `{ error, code }`, or a line of plain text for
 * the CSV exports, never cached. Anything else is unexpected and left to Next (a 500, logged).
 */
import "server-only";
import { DomainError } from "../errors";
import { access, type Access } from "./access";
import type { Permission } from "./permissions";

const NO_STORE = { "Cache-Control": "no-store" } as const;

export type RouteOptions = {
  /** The list's merchant view (`?merchant=` narrows staff); without it, the user's whole authority. */
  view?: (request: Request) => { merchant: number | null };
  /** How a refusal is answered: JSON (the default) or plain text (CSV downloads). */
  errors?: "json" | "text";
};

function refusalResponse(err: DomainError, format: "json" | "text" = "json"): Response {
  if (format === "text") {
    return new Response(`${err.message}\n`, { status: err.status, headers: { "Content-Type": "text/plain; charset=utf-8", ...NO_STORE } });
  }
  return Response.json({ error: err.message, code: err.code }, { status: err.status, headers: NO_STORE });
}

export function withAccess<C = unknown>(
  permission: Permission,
  handler: (request: Request, access: Access, context: C) => Promise<Response> | Response,
  options: RouteOptions = {},
): (request: Request, context: C) => Promise<Response> {
  return async (request, context) => {
    try {
      const granted = await access(permission, options.view?.(request));
      return await handler(request, granted, context);
    } catch (err) {
      if (err instanceof DomainError) return refusalResponse(err, options.errors);
      throw err;
    }
  };
}
