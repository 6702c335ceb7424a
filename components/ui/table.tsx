import * as React from "react";
import { cn } from "@/lib/utils";

/**
 * Stacked rows, for a table whose card is narrower than 56rem (a phone, a tablet, a narrow
 * window): the table keeps its table semantics (see `Table`) and its header
 * cells (for screen readers; the sort links stay on screen as a "Sort by" bar), and each row
 * becomes a small card of its own, laid out by what each cell says of itself:
 *
 * - `data-stack="primary"`: the row's name, first on the first line;
 * - `data-stack="aside"`: its key status, at the end of the first line;
 * - `data-stack="inline"`: a short fact (a badge) that shares a line with the next inline ones;
 * - `data-stack="end"`: a line of its own, last (a secondary fact first in a desktop row);
 * - `data-stack="hide"`: left out (it repeats what another cell says);
 * - otherwise a line of its own.
 *
 * `data-label` names the value on its line ("Merchant: …"); the label is drawn by CSS (not in
 * the cell's text, so the text a test or a copy reads is the value) and is silent for screen
 * readers, which have the column header. Long values cut by `Truncate` wrap instead: a phone has
 * no hover to show the rest. A container query, not the viewport, decides: the same table in a
 * narrow column stacks too.
 */
const STACKED = [
  "@max-[56rem]:block",
  // The header: only the sortable columns' links, as a "Sort by" bar; the rest for screen readers.
  "@max-[56rem]:[&>thead]:block @max-[56rem]:[&>thead]:normal-case",
  "@max-[56rem]:[&>thead:not(:has(th[aria-sort]))]:sr-only",
  "@max-[56rem]:[&>thead>tr]:flex @max-[56rem]:[&>thead>tr]:flex-wrap @max-[56rem]:[&>thead>tr]:items-center @max-[56rem]:[&>thead>tr]:gap-x-4 @max-[56rem]:[&>thead>tr]:gap-y-1 @max-[56rem]:[&>thead>tr]:px-4 @max-[56rem]:[&>thead>tr]:py-2",
  "@max-[56rem]:[&>thead>tr]:before:text-xs @max-[56rem]:[&>thead>tr]:before:font-normal @max-[56rem]:[&>thead>tr]:before:text-slate-600 @max-[56rem]:[&>thead>tr]:before:content-['Sort_by'_/_'']",
  "@max-[56rem]:[&>thead>tr>th]:block @max-[56rem]:[&>thead>tr>th]:p-0 @max-[56rem]:[&>thead>tr>th:not([aria-sort])]:sr-only",
  // Each row a card: the first line holds the primary cell and the aside; the rest follow.
  "@max-[56rem]:[&>tbody]:block",
  "@max-[56rem]:[&>tbody>tr]:flex @max-[56rem]:[&>tbody>tr]:flex-wrap @max-[56rem]:[&>tbody>tr]:items-baseline @max-[56rem]:[&>tbody>tr]:gap-x-3 @max-[56rem]:[&>tbody>tr]:gap-y-1.5 @max-[56rem]:[&>tbody>tr]:px-4 @max-[56rem]:[&>tbody>tr]:py-3",
  "@max-[56rem]:[&>tbody>tr>td]:block @max-[56rem]:[&>tbody>tr>td]:whitespace-normal @max-[56rem]:[&>tbody>tr>td]:w-auto @max-[56rem]:[&>tbody>tr>td]:min-w-0 @max-[56rem]:[&>tbody>tr>td]:max-w-full @max-[56rem]:[&>tbody>tr>td]:basis-full @max-[56rem]:[&>tbody>tr>td]:text-left",
  "@max-[56rem]:[&>tbody>tr>td:not([colspan])]:p-0",
  "@max-[56rem]:[&>tbody>tr>td[data-stack=primary]]:-order-2 @max-[56rem]:[&>tbody>tr>td[data-stack=primary]]:basis-0 @max-[56rem]:[&>tbody>tr>td[data-stack=primary]]:grow @max-[56rem]:[&>tbody>tr>td[data-stack=primary]]:font-medium",
  "@max-[56rem]:[&>tbody>tr>td[data-stack=aside]]:-order-1 @max-[56rem]:[&>tbody>tr>td[data-stack=aside]]:basis-auto @max-[56rem]:[&>tbody>tr>td[data-stack=aside]]:shrink-0 @max-[56rem]:[&>tbody>tr>td[data-stack=aside]]:text-right",
  "@max-[56rem]:[&>tbody>tr>td[data-stack=inline]]:basis-auto",
  "@max-[56rem]:[&>tbody>tr>td[data-stack=end]]:order-1",
  "@max-[56rem]:[&>tbody>tr>td[data-stack=hide]]:hidden",
  // The label of a value, before it (floated, so that a block value sits beside it).
  "@max-[56rem]:[&>tbody>tr>td[data-label]]:before:float-left @max-[56rem]:[&>tbody>tr>td[data-label]]:before:mr-1.5 @max-[56rem]:[&>tbody>tr>td[data-label]]:before:text-xs @max-[56rem]:[&>tbody>tr>td[data-label]]:before:leading-5 @max-[56rem]:[&>tbody>tr>td[data-label]]:before:font-normal @max-[56rem]:[&>tbody>tr>td[data-label]]:before:text-slate-600",
  "@max-[56rem]:[&>tbody>tr>td[data-label]]:before:content-[attr(data-label)_/_'']",
  // Long values wrap (no hover on a phone to show the rest).
  "@max-[56rem]:[&_[data-truncate]]:max-w-full @max-[56rem]:[&_[data-truncate]]:whitespace-normal @max-[56rem]:[&_[data-truncate]]:[overflow-wrap:anywhere]",
].join(" ");

/** In a fitting table (`stack`), cells are a little narrower than elsewhere: more columns fit. */
const COMPACT = "[&>thead>tr>th]:px-3 [&>tbody>tr>td:not([colspan])]:px-3";

/**
 * A table in a horizontally scrollable region that keyboard users can focus and scroll: on a
 * phone the table scrolls inside its card, never the page. `relative` keeps the table's
 * visually hidden (absolutely positioned) captions and labels inside the region; without it they
 * are placed against the page and widen it.
 *
 * With `stack`, the table is one that fits its card: at a desktop width its columns are chosen
 * to fit (long values cut by `Truncate`, the full text on hover), and in a card narrower than
 * 56rem its rows stack (see STACKED above for the cells' `data-stack` and `data-label`). The
 * stacked table stays a <table> of rows and cells, and says so with an explicit role="table"
 * (a `display` other than a table's has dropped the implicit roles in some browsers). Its rows
 * and cells keep their implicit roles: explicit ones on every cell made the axe scan of a
 * 50-row list about twice as slow.
 */
export function Table({
  className,
  label,
  stack = false,
  ...props
}: React.TableHTMLAttributes<HTMLTableElement> & { label?: string; stack?: boolean }) {
  return (
    <div
      role="region"
      aria-label={label ?? props["aria-label"] ?? "Table"}
      tabIndex={0}
      className={cn("relative overflow-x-auto rounded-lg border border-slate-200 bg-white", stack && "@container")}
    >
      <table
        // STACKED apart from cn: tailwind-merge need not sort out its long arbitrary variants.
        className={cn("w-full text-left text-sm", stack && COMPACT, className) + (stack ? ` ${STACKED}` : "")}
        {...(stack ? { role: "table" } : {})}
        {...props}
      />
    </div>
  );
}

export function THead(props: React.HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-700" {...props} />;
}

// Not the empty row's single cell (EmptyRow): it has its own padding.
const STYLED_ROWS = "[&>tr]:hover:bg-slate-50 [&>tr>td:not([colspan])]:px-4 [&>tr>td:not([colspan])]:py-2.5 [&>tr>td]:align-top";

/**
 * With `styled`, the body styles its rows and cells itself (padding, alignment, hover), so that a
 * long list writes plain <tr>/<td> and each class once rather than once per cell: a list page's
 * HTML and its RSC payload both carry every class of every cell.
 */
export function TBody({ className, styled, ...props }: React.HTMLAttributes<HTMLTableSectionElement> & { styled?: boolean }) {
  return (
    <tbody
      className={cn("divide-y divide-slate-100", styled && STYLED_ROWS, className)}
      {...props}
    />
  );
}

export function TR({ className, ...props }: React.HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("hover:bg-slate-50", className)} {...props} />;
}

export function TH({ className, ...props }: React.ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cn("px-4 py-2.5 font-semibold", className)} {...props} />;
}

export function TD({ className, ...props }: React.TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("px-4 py-2.5 align-top", className)} {...props} />;
}

/**
 * The content of a cell that takes the room its row's other cells leave (give the cell `w-full`):
 * it adds nothing to its column's width, so the table fits its card and what is inside (a
 * `Truncate`) is cut to the room there is.
 */
export function CellFill({ className, ...props }: React.HTMLAttributes<HTMLDivElement>) {
  return <div className={cn("w-0 min-w-full", className)} {...props} />;
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: React.ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-4 py-10 text-slate-600">
        {/* Pinned to the visible part of a table wider than a phone's screen, never cut off. */}
        <div className="sticky left-4 max-w-[calc(100vw-5rem)] whitespace-normal">{children}</div>
      </td>
    </tr>
  );
}
