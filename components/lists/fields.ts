/**
 * The fields of a list's filter bar, in a line each (server-side: the bar itself is a client
 * component). Each field is named after a filter of the list's definition (lib/lists/lists.ts).
 */
import type { FilterField, FilterOption } from "@/components/ui/filter-bar";

/** A select's options: `[value, words]` pairs in order, or options already made. */
type Options = readonly (readonly [value: string, label: string])[] | readonly FilterOption[];

function optionsOf(options: Options): FilterOption[] {
  return options.map((o) => (Array.isArray(o) ? { value: o[0], label: o[1] } : (o as FilterOption)));
}

/** The search box: `q` ("Search") unless said otherwise; `suggestions` offers values as typed. */
export function searchField(
  id: string,
  placeholder: string,
  maxLength: number,
  more: { name?: string; label?: string; suggestions?: string[] } = {},
): FilterField {
  return { kind: "search", id, name: more.name ?? "q", label: more.label ?? "Search", placeholder, maxLength, suggestions: more.suggestions };
}

export function selectField(id: string, label: string, name: string, options: Options): FilterField {
  return { kind: "select", id, label, name, options: optionsOf(options) };
}

export function dateField(id: string, label: string, name: string): FilterField {
  return { kind: "date", id, label, name };
}
