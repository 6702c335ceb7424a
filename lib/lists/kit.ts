/**
 * The list kit: each list declares its URL parameters once, as nuqs parsers, and derives from
 * them everything else: reading the URL (bad values fall back to the defaults), "is filtered",
 * the chips that remove one filter, sort links, pagination links (numbered pages, or keyset
 * cursors for a list declared with `keyset`) and the page clamp. Shared by pages, queries and
 * CSV route handlers; no server-only import. components/lists/list-page.tsx draws a list page.
 */
import {
  createLoader,
  createParser,
  createSerializer,
  parseAsStringLiteral,
  type inferParserType,
  type LoaderInput,
  type ParserMap,
} from "nuqs/server";
import { cursorText, parseCursor, type Cursor } from "./cursor";

/**
 * The merchant switcher's choice (`?merchant=12`): staff narrow every list and the dashboard to
 * one merchant; absent means every merchant. Not a filter (no chip; "clear filters" keeps it).
 * A merchant's people are scoped to their own merchant whatever it says (lib/auth/access.ts).
 */
export const parseAsMerchant = createParser<number>({
  parse: (v) => (/^\d{1,9}$/.test(v) && Number(v) >= 1 ? Number(v) : null),
  serialize: (v) => String(v),
});

/** A row's id in a filter (`?location=3`): a positive integer; absent or bad reads as none (0). */
export const parseAsId = createParser<number>({
  parse: (v) => (/^\d{1,9}$/.test(v) && Number(v) >= 1 ? Number(v) : null),
  serialize: (v) => String(v),
}).withDefault(0);

/** A page number: a positive integer; anything else reads as page 1. */
const parseAsPage = createParser<number>({
  parse: (v) => (/^\d{1,7}$/.test(v) && Number(v) >= 1 ? Number(v) : null),
  serialize: (v) => String(v),
}).withDefault(1);

/**
 * Free text, cut to `maxLength`. Not trimmed here (the input keeps what the person is typing);
 * queries trim it.
 */
export function parseAsSearch(maxLength: number) {
  return createParser<string>({
    // A NUL byte can be typed in a URL but not stored or compared by Postgres: dropped.
    parse: (v) => v.replace(/\u0000/g, "").slice(0, maxLength),
    serialize: (v) => v,
  }).withDefault("");
}

/** A keyset cursor (`1732270000000.42`: the sort value in ms, then the row's id); bad reads as none. */
const parseAsCursor = createParser<Cursor>({ parse: parseCursor, serialize: cursorText });

/** The cursor parameters of a keyset list: `after` (the next page) wins over `before` (the previous). */
export const CURSOR_PARAMS = ["after", "before"] as const;
type CursorParsers = { after: typeof parseAsCursor; before: typeof parseAsCursor };

export type SortDirection = "asc" | "desc";
export type SortValue<C extends string> = C | `-${C}`;

/** A filter's URL value as text, for chips and hidden fields. */
function text(value: unknown): string {
  return value === null || value === undefined ? "" : String(value);
}

export type ListChip = { key: string; label: string; value: string; removeHref: string };

export function defineList<
  const F extends ParserMap,
  const C extends string,
  R = never,
>(config: {
  pathname: string;
  /** The filters, each with a default (`.withDefault`). */
  filters: F;
  /** How each filter is named on its chip. */
  filterLabels: { [K in keyof F]: string };
  /** The sortable columns, and the direction a first click sorts in. */
  sortColumns: { [K in C]: SortDirection };
  defaultSort: NoInfer<SortValue<C>>;
  pageSize: number;
  /**
   * Keyset pages rather than numbered ones, so that a deep page costs what the first one does:
   * the URL holds a cursor (`after` the last row seen, or `before` the first), which every other
   * link drops. `at` is a row's value in the sorted column: with its id, the row's cursor.
   */
  keyset?: { at: (row: R, column: NoInfer<C>) => Date };
}) {
  const columns = Object.keys(config.sortColumns) as C[];
  const sortValues = [...columns, ...columns.map((c) => `-${c}` as const)] as SortValue<C>[];
  const keyset = config.keyset ?? null;
  const base = {
    ...config.filters,
    merchant: parseAsMerchant,
    sort: parseAsStringLiteral(sortValues).withDefault(config.defaultSort),
    page: parseAsPage,
  };
  const parsers = (keyset ? { ...base, after: parseAsCursor, before: parseAsCursor } : base) as typeof base &
    ([R] extends [never] ? unknown : CursorParsers);
  type Values = inferParserType<typeof parsers>;
  type FilterKey = keyof F & string;
  const filterKeys = Object.keys(config.filters) as FilterKey[];
  const loader = createLoader(parsers);
  // clearOnDefault: a default value leaves the URL, so the unfiltered list is just the path.
  const serialize = createSerializer(parsers, { clearOnDefault: true });
  const noCursor = (keyset ? { after: null, before: null } : {}) as Partial<Values>;
  const defaults = loader({}) as Values;

  // Every link but a cursor's own starts the walk again: a filter, a sort or a chip drops the cursor.
  const href = (values: Values, patch: Partial<Values> = {}): string =>
    serialize(config.pathname, { ...values, ...noCursor, ...patch } as Values);

  return {
    pathname: config.pathname,
    pageSize: config.pageSize,
    parsers,
    defaults,
    filterKeys,
    /** Whether the list pages by cursor (`keyset`) rather than by number. */
    keyset: keyset !== null,
    /** The URL's values; bad or missing ones are the defaults. A keyset list's `after` wins over `before`. */
    load(input: LoaderInput): Values {
      const values = loader(input) as Values & { after?: Cursor | null; before?: Cursor | null };
      if (values.after && values.before) values.before = null;
      return values;
    },
    /** Values given in code (tests, the bench, the dashboard): the list's own keys, the rest defaults. */
    values(input: Partial<Values> & Record<string, unknown> = {}): Values {
      const own = Object.entries(input).filter(([k, v]) => k in defaults && v !== undefined);
      return { ...defaults, ...Object.fromEntries(own) } as Values;
    },
    /** The filters, merchant and sort, as text: what an export records in the audit log. */
    describe(values: Values): Record<string, string> {
      return Object.fromEntries(
        [...filterKeys, "merchant", "sort"].map((k) => [k, text(values[k as keyof Values])]),
      );
    },
    /** `pathname?query` for these values (defaults left out). */
    href,
    /** The query string alone ("" or "?…"), e.g. for the CSV link. */
    search(values: Values, patch: Partial<Values> = {}): string {
      return serialize({ ...values, ...noCursor, ...patch } as Values);
    },
    isFiltered(values: Values): boolean {
      return filterKeys.some((k) => text(values[k]) !== text(defaults[k]));
    },
    /** One chip per filter that differs from its default; removing it goes back to page 1. */
    chips(values: Values, describe: Partial<Record<FilterKey, (value: string) => string>> = {}): ListChip[] {
      return filterKeys
        .filter((k) => text(values[k]) !== text(defaults[k]))
        .map((k) => ({
          key: k,
          label: config.filterLabels[k],
          value: describe[k]?.(text(values[k])) ?? text(values[k]),
          removeHref: href(values, { [k]: defaults[k], page: 1 } as Partial<Values>),
        }));
    },
    /** The filters only, reset: keeps the sort. */
    clearHref(values: Values): string {
      const reset = Object.fromEntries(filterKeys.map((k) => [k, defaults[k]])) as Partial<Values>;
      return href(values, { ...reset, page: 1 } as Partial<Values>);
    },
    sortOf(values: Values): { column: C; direction: SortDirection } {
      const s = String(values.sort);
      return s.startsWith("-")
        ? { column: s.slice(1) as C, direction: "desc" }
        : { column: s as C, direction: "asc" };
    },
    /** The link of a column header: flips the direction of the current column, else sorts it
     * in the column's first direction; back to page 1. */
    sortHref(values: Values, column: C): string {
      const current = this.sortOf(values);
      const direction: SortDirection =
        current.column === column
          ? current.direction === "asc"
            ? "desc"
            : "asc"
          : config.sortColumns[column];
      const sort = (direction === "asc" ? column : `-${column}`) as SortValue<C>;
      return href(values, { sort, page: 1 } as Partial<Values>);
    },
    pageHref(values: Values, page: number): string {
      return href(values, { page } as Partial<Values>);
    },
    /** A keyset list's link to the rows `after` this cursor (Next) or `before` it (Previous). */
    cursorHref(values: Values, direction: (typeof CURSOR_PARAMS)[number], cursor: Cursor): string {
      return href(values, { page: 1, [direction]: cursor } as Partial<Values>);
    },
    /** A keyset list's cursor of a row, in the list's sort. */
    cursorOf(values: Values, row: R & { id: number }): Cursor {
      if (!keyset) throw new Error(`${config.pathname} is not a keyset list`);
      return { at: keyset.at(row, this.sortOf(values).column).getTime(), id: row.id };
    },
  };
}

/** The page shown: the requested one, or the last one if it asked past the end. */
export function clampPage(requested: number, total: number, pageSize: number) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  return { page: Math.min(Math.max(1, requested), pageCount), pageCount };
}

