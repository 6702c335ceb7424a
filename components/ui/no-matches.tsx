import Link from "next/link";

/** The empty state of a filtered list: says nothing matched and offers the list without filters. */
export function NoMatches({ noun, clearHref }: { noun: string; clearHref: string }) {
  return (
    <>
      No {noun} match these filters.{" "}
      <Link href={clearHref} className="font-medium text-brand-700 underline underline-offset-4">
        Clear filters
      </Link>
    </>
  );
}
