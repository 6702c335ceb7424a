import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";

const number = new Intl.NumberFormat("en-US");

/**
 * "Showing 51–100 of 312 deliveries" for a keyset page: where it starts, how many it shows, of
 * how many (null: more than `cap`). Null for an empty page: its empty state says so.
 */
export function keysetSummary({
  start,
  shown,
  total,
  cap,
  noun,
  singular,
}: {
  start: number | null;
  shown: number;
  total: number | null;
  cap: number;
  noun: string;
  singular: string;
}): string | null {
  if (shown === 0) return null;
  if (total === 1) return `Showing 1 ${singular}`;
  const of = total === null ? `more than ${number.format(cap)}` : number.format(total);
  if (start === null) return `${number.format(shown)} shown, of ${of} ${noun}`;
  return `Showing ${number.format(start)}–${number.format(start + shown - 1)} of ${of} ${noun}`;
}

/**
 * Previous and Next of a keyset list (a cursor in each link, so a deep page costs what the first
 * one does), with the page's summary between them. Plain links: they work without JavaScript.
 */
export function KeysetPagination({
  label,
  prevHref,
  nextHref,
  summary,
  summaryTestId,
}: {
  /** The navigation's name: "Pages of transactions". */
  label: string;
  prevHref: string | null;
  nextHref: string | null;
  summary: React.ReactNode;
  summaryTestId: string;
}) {
  // Nothing to sum up and nowhere to go (an empty list): its empty state says so.
  if (!prevHref && !nextHref && (summary === null || summary === undefined)) return null;
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm" data-testid="keyset-pagination">
      {prevHref ? (
        <Link href={prevHref} className="inline-flex items-center gap-1 text-brand-700 hover:underline" rel="prev">
          <ChevronLeft aria-hidden className="size-4" /> Previous
        </Link>
      ) : (
        <span />
      )}
      <p className="text-slate-700" data-testid={summaryTestId} aria-live="polite">
        {summary}
      </p>
      {nextHref ? (
        <Link href={nextHref} className="inline-flex items-center gap-1 text-brand-700 hover:underline" rel="next">
          Next <ChevronRight aria-hidden className="size-4" />
        </Link>
      ) : null}
    </nav>
  );
}
