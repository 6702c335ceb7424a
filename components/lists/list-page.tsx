/**
 * A list page, drawn from its list definition (lib/lists/lists.ts): the header, the filter bar
 * (its defaults, and hidden fields for the URL's other values, from the definition), the chips
 * and Export CSV, the table (the page's own, given its empty state and its sort), and the pages,
 * numbered or by keyset cursor. A page says only what is its own: its words, its filters, its
 * columns. A server component.
 */
import type { LoaderInput } from "nuqs/server";
import type * as React from "react";
import { FilterBar, type FilterField } from "@/components/ui/filter-bar";
import { ListToolbar } from "@/components/ui/filter-chips";
import { KeysetPagination } from "@/components/ui/keyset-pagination";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import type { SortState } from "@/components/ui/sortable-header";
import { CURSOR_PARAMS, type ListChip, type SortDirection } from "@/lib/lists/kit";
import { pageAccess } from "@/lib/auth/access";
import type { Permission } from "@/lib/auth/permissions";
import type { Cursor } from "@/lib/lists/cursor";

/** A list page's props: its URL's query. */
export type ListPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * A list page's first step: its URL read through the list's definition (bad values are the
 * defaults), then the signed-in user's access, scoped to the switcher's merchant for staff.
 */
export async function listAccess<V extends { merchant: number | null }>(
  list: { load(input: LoaderInput): V },
  permission: Permission,
  searchParams: ListPageProps["searchParams"],
) {
  const params = list.load(await searchParams);
  return { params, ...(await pageAccess(permission, params)) };
}

/** What the template needs of a list definition (see defineList). */
type ListKit<V, C extends string> = {
  pathname: string;
  defaults: V;
  filterKeys: readonly string[];
  keyset: boolean;
  isFiltered(values: V): boolean;
  chips(values: V, describe?: Partial<Record<string, (value: string) => string>>): ListChip[];
  clearHref(values: V): string;
  search(values: V, patch?: Partial<V>): string;
  sortOf(values: V): { column: C; direction: SortDirection };
  sortHref(values: V, column: C): string;
  pageHref(values: V, page: number): string;
  cursorHref(values: V, direction: (typeof CURSOR_PARAMS)[number], cursor: Cursor): string;
};

type ListValues = { merchant: number | null; sort: string; page: number };

/** Numbered pages (the query's clamped page and total), or keyset cursors with the page's summary. */
type ListPaging =
  | { page: number; pageSize: number; total: number }
  | { prev: Cursor | null; next: Cursor | null; summary: React.ReactNode; summaryTestId?: string };

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));

export function ListPage<V extends ListValues, C extends string>({
  list,
  params,
  title,
  description,
  actions,
  filters,
  notice,
  chips,
  exportPath,
  noun,
  empty,
  paging,
  children,
}: {
  list: ListKit<V, C>;
  /** The values the rows were read with (the query's, its page clamped). */
  params: V;
  title: string;
  description: React.ReactNode;
  actions?: React.ReactNode;
  /** The filter bar: its name ("Filter terminals") and fields, each named after a filter of the list. */
  filters: { label: string; fields: readonly FilterField[] };
  /** Between the filters and the chips: a warning about the filters themselves. */
  notice?: React.ReactNode;
  /** How a chip words a filter's value ("sandbox" → "Sandbox"); the value itself otherwise. */
  chips?: Partial<Record<string, (value: string) => string>>;
  /** The CSV route, e.g. "/api/terminals/export"; it gets the filters and sort. */
  exportPath?: string;
  /** What the rows are, plural then singular: ["terminals", "terminal"]. */
  noun: readonly [plural: string, singular: string];
  /** What an empty list says when no filter is in force. */
  empty: React.ReactNode;
  paging: ListPaging;
  /** The table, given its empty state and its sort (with each column header's link). */
  children: (table: { empty: React.ReactNode; sort: SortState & { column: C; hrefFor: (column: C) => string } }) => React.ReactNode;
}) {
  const [plural, singular] = noun;
  const values = params as V & Record<string, unknown>;
  const defaults = list.defaults as V & Record<string, unknown>;
  const fieldNames = new Set(filters.fields.map((f) => f.name));
  // The URL's other values, for the form without JavaScript (nuqs keeps them otherwise).
  const hidden = Object.fromEntries(
    [...list.filterKeys, "merchant", "sort"]
      .filter((k) => !fieldNames.has(k) && text(values[k]) !== text(defaults[k]))
      .map((k) => [k, text(values[k])]),
  );
  const cursor = list.keyset && (values.after || values.before);
  const emptyState = list.isFiltered(params) ? (
    <NoMatches noun={plural} clearHref={list.clearHref(params)} />
  ) : cursor ? (
    `No more ${plural} this way.`
  ) : (
    empty
  );
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      <FilterBar
        action={list.pathname}
        label={filters.label}
        defaults={Object.fromEntries(filters.fields.map((f) => [f.name, text(defaults[f.name])]))}
        hidden={hidden}
        resets={list.keyset ? CURSOR_PARAMS : undefined}
        fields={filters.fields}
      />
      {notice}
      <ListToolbar
        chips={list.chips(params, chips)}
        clearHref={list.clearHref(params)}
        exportHref={exportPath ? `${exportPath}${list.search(params, { page: 1 } as Partial<V>)}` : undefined}
      />
      {children({ empty: emptyState, sort: { ...list.sortOf(params), hrefFor: (column) => list.sortHref(params, column) } })}
      {"pageSize" in paging ? (
        <Pagination
          hrefFor={(p) => list.pageHref(params, p)}
          page={paging.page}
          pageSize={paging.pageSize}
          total={paging.total}
          noun={plural}
          singular={singular}
        />
      ) : (
        <KeysetPagination
          label={`Pages of ${plural}`}
          prevHref={paging.prev ? list.cursorHref(params, "before", paging.prev) : null}
          nextHref={paging.next ? list.cursorHref(params, "after", paging.next) : null}
          summary={paging.summary}
          summaryTestId={paging.summaryTestId ?? "pagination-summary"}
        />
      )}
    </>
  );
}
