import * as React from "react";
import { cn } from "@/lib/utils";

/**
 * A table in a horizontally scrollable region that keyboard users can focus and scroll: on a
 * phone the table scrolls inside its card, never the page. `relative` keeps the table's
 * visually hidden (absolutely positioned) captions and labels inside the region; without it they
 * are placed against the page and widen it.
 */
export function Table({
  className,
  label,
  ...props
}: React.TableHTMLAttributes<HTMLTableElement> & { label?: string }) {
  return (
    <div
      role="region"
      aria-label={label ?? props["aria-label"] ?? "Table"}
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white"
    >
      <table className={cn("w-full text-left text-sm", className)} {...props} />
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
