/**
 * The list kit: each list (terminals, attempts, audit) declares its URL parameters once, as nuqs
 * parsers, and derives from them everything else: reading the URL (bad values fall back to the
 * defaults), "is filtered", the chips that remove one filter, sort links, pagination links and
 * the page clamp. Shared by pages and CSV route handlers; no server-only import.
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
export const parseAsPage = createParser<number>({
  parse: (v) => (/^\d{1,7}$/.test(v) && Number(v) >= 1 ? Number(v) : null),
  serialize: (v) => String(v),
}).withDefault(1);

/**
 * Free text, cut to `maxLength`. Not trimmed here (the input keeps what the person is typing);
 * queries trim it.
 */
export function parseAsSearch(maxLength: number) {
  return createParser<string>({
    parse: (v) => v.slice(0, maxLength),
    serialize: (v) => v,
  }).withDefault("");
}

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
}) {
  const columns = Object.keys(config.sortColumns) as C[];
  const sortValues = [...columns, ...columns.map((c) => `-${c}` as const)] as SortValue<C>[];
  const parsers = {
    ...config.filters,
    merchant: parseAsMerchant,
    sort: parseAsStringLiteral(sortValues).withDefault(config.defaultSort),
    page: parseAsPage,
  };
  type Values = inferParserType<typeof parsers>;
  type FilterKey = keyof F & string;
  const filterKeys = Object.keys(config.filters) as FilterKey[];
  const loader = createLoader(parsers);
  // clearOnDefault: a default value leaves the URL, so the unfiltered list is just the path.
  const serialize = createSerializer(parsers, { clearOnDefault: true });
  const defaults = loader({}) as Values;

  const href = (values: Values, patch: Partial<Values> = {}): string =>
    serialize(config.pathname, { ...values, ...patch } as Values);

  return {
    pathname: config.pathname,
    pageSize: config.pageSize,
    parsers,
    defaults,
    filterKeys,
    /** The URL's values; bad or missing ones are the defaults. */
    load(input: LoaderInput): Values {
      return loader(input) as Values;
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
      return serialize({ ...values, ...patch } as Values);
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
  };
}

/** The page shown: the requested one, or the last one if it asked past the end. */
export function clampPage(requested: number, total: number, pageSize: number) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  return { page: Math.min(Math.max(1, requested), pageCount), pageCount };
}

export type ListDefinition = ReturnType<typeof defineList>;
