/** How long typing in a list's search box waits before the list follows (components/ui/filter-bar.tsx). */
export const SEARCH_DEBOUNCE_MS = 350;

/** `%`, `_` and `\` match themselves in the search box. Use with `escape '\'`. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * An amount typed in a search box ("12.50", "12,50", "€12.50", "12.50 EUR", "12") in minor units
 * of a two-decimal currency (1250); null when the text is not an amount. A currency without
 * decimals (JPY) is not matched by its whole number: "1250" reads as 1,250.00.
 */
export function searchAmount(text: string): number | null {
  const bare = text
    .trim()
    .replace(/^[€$£]\s*/u, "")
    .replace(/\s*[A-Za-z]{3}$/, "")
    .replace(/\s*[€$£]$/u, "");
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(bare);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}
