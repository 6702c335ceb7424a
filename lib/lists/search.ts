/** How long typing in a list's search box waits before the list follows (components/ui/filter-bar.tsx). */
export const SEARCH_DEBOUNCE_MS = 350;

/** `%`, `_` and `\` match themselves in the search box. Use with `escape '\'`. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
