/**
 * Which terminal screens the /simulator page shows: the terminals named by its `terminal`
 * parameters (repeatable: `?terminal=A&terminal=B`), in that order, at most MAX_SCREENS; with
 * none named, the newest DEFAULT_SCREENS terminals.
 */
import { TERMINAL_ID_PATTERN } from "./terminals";

export const MAX_SCREENS = 6;
export const DEFAULT_SCREENS = 3;

/** The valid, distinct terminal ids of a `terminal` parameter, keeping the newest MAX_SCREENS. */
export function requestedScreens(param: string | string[] | undefined): string[] {
  const values = param === undefined ? [] : Array.isArray(param) ? param : [param];
  const ids = [...new Set(values.filter((v) => TERMINAL_ID_PATTERN.test(v)))];
  return ids.slice(-MAX_SCREENS);
}

/** The page's address showing these terminals' screens (the bare page for none). */
export function simulatorHref(terminalIds: readonly string[]): string {
  const ids = [...new Set(terminalIds)].slice(-MAX_SCREENS);
  if (ids.length === 0) return "/simulator";
  return `/simulator?${ids.map((id) => `terminal=${encodeURIComponent(id)}`).join("&")}`;
}
