import { Download, X } from "lucide-react";
import Link from "next/link";
import type { ListChip } from "@/lib/lists/kit";

/**
 * Below a list's filter bar: one removable chip per filter in force, "Clear filters", and the
 * "Export CSV" link (when the list has an export), which carries the current filters and sort.
 * Plain links: they work without JavaScript.
 */
export function ListToolbar({
  chips,
  clearHref,
  exportHref,
}: {
  chips: ListChip[];
  clearHref: string;
  exportHref?: string;
}) {
  return (
    <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
      <div className="flex min-w-0 flex-wrap items-center gap-2">
        {chips.length > 0 ? (
          <>
            <ul aria-label="Filters in force" className="flex min-w-0 flex-wrap gap-2">
              {chips.map((chip) => (
                <li
                  key={chip.key}
                  data-testid="filter-chip"
                  className="inline-flex min-w-0 max-w-full items-center gap-0.5 rounded-full border border-brand-600/30 bg-brand-50 py-0.5 pl-3 pr-0.5 text-xs font-medium text-brand-800"
                >
                  <span className="truncate" title={`${chip.label}: ${chip.value}`}>
                    {chip.label}: {chip.value}
                  </span>
                  {/* Named after the filter, not its value, so it never reads like the rows it filters. */}
                  <Link
                    href={chip.removeHref}
                    aria-label={`Remove the ${chip.label} filter`}
                    title={`Remove the ${chip.label} filter`}
                    className="inline-flex size-6 shrink-0 items-center justify-center rounded-full hover:bg-brand-100"
                  >
                    <X aria-hidden className="size-3.5" />
                  </Link>
                </li>
              ))}
            </ul>
            <Link href={clearHref} className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
              Clear filters
            </Link>
          </>
        ) : null}
      </div>
      {exportHref ? (
      <a
        href={exportHref}
        className="inline-flex items-center gap-1.5 text-sm font-medium text-brand-700 underline-offset-4 hover:underline"
      >
        <Download aria-hidden className="size-4" />
        Export CSV
      </a>
      ) : null}
    </div>
  );
}
