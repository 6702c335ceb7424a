/**
 * "Showing 1–50 of 10,000" and page links that keep the list's other URL parameters (filters,
 * search, sort), so that every page of every filtered list has its own URL. A server component: plain
 * links, no client JavaScript.
 */
import Link from "next/link";
import { cn } from "@/lib/utils";

const number = new Intl.NumberFormat("en-US");

/** The page numbers to show: first, last, and two either side of the current one. */
function pageWindow(page: number, pageCount: number): (number | "gap")[] {
  const pages = new Set([1, pageCount]);
  for (let p = page - 2; p <= page + 2; p++) if (p >= 1 && p <= pageCount) pages.add(p);
  const sorted = [...pages].sort((a, b) => a - b);
  const out: (number | "gap")[] = [];
  sorted.forEach((p, i) => {
    const prev = sorted[i - 1];
    if (prev !== undefined && p - prev > 1) out.push("gap");
    out.push(p);
  });
  return out;
}

const linkClass =
  "inline-flex h-8 min-w-8 items-center justify-center rounded-md border px-2 text-sm font-medium";

export function Pagination({
  hrefFor,
  page,
  pageSize,
  total,
  noun = "items",
  singular = "item",
}: {
  /** The URL of page `p` of this list, with its filters and sort (the list kit's `pageHref`). */
  hrefFor: (page: number) => string;
  page: number;
  pageSize: number;
  total: number;
  /** Plural noun for the summary, e.g. "terminals". */
  noun?: string;
  /** The same noun for one, e.g. "terminal". */
  singular?: string;
}) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <div className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      {/* Nothing to sum up when the list is empty: its empty state says so. */}
      {total > 0 ? (
        <p data-testid="pagination-summary">
          {total === 1
            ? `Showing 1 ${singular}`
            : `Showing ${number.format(from)}–${number.format(to)} of ${number.format(total)} ${noun}`}
        </p>
      ) : null}
      {pageCount > 1 ? (
        <nav aria-label="Pagination">
          <ul className="flex flex-wrap items-center gap-1">
            <li>
              {page > 1 ? (
                <Link
                  href={hrefFor(page - 1)}
                  rel="prev"
                  className={cn(linkClass, "border-slate-300 bg-white text-slate-800 hover:bg-slate-100")}
                >
                  Previous
                </Link>
              ) : (
                <span className={cn(linkClass, "border-slate-200 text-slate-600")}>
                  Previous
                </span>
              )}
            </li>
            {pageWindow(page, pageCount).map((p, i) =>
              p === "gap" ? (
                <li key={`gap-${i}`} aria-hidden className="px-1 text-slate-500">
                  …
                </li>
              ) : (
                <li key={p}>
                  <Link
                    href={hrefFor(p)}
                    aria-label={`Page ${p}`}
                    aria-current={p === page ? "page" : undefined}
                    className={cn(
                      linkClass,
                      p === page
                        ? "border-brand-700 bg-brand-700 text-white"
                        : "border-slate-300 bg-white text-slate-800 hover:bg-slate-100",
                    )}
                  >
                    {p}
                  </Link>
                </li>
              ),
            )}
            <li>
              {page < pageCount ? (
                <Link
                  href={hrefFor(page + 1)}
                  rel="next"
                  className={cn(linkClass, "border-slate-300 bg-white text-slate-800 hover:bg-slate-100")}
                >
                  Next
                </Link>
              ) : (
                <span className={cn(linkClass, "border-slate-200 text-slate-600")}>
                  Next
                </span>
              )}
            </li>
          </ul>
        </nav>
      ) : null}
    </div>
  );
}
