import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import Link from "next/link";
import { TH } from "./table";

export type SortState = { column: string; direction: "asc" | "desc" };

/**
 * A column header that sorts the list: a link (the sort lives in the URL), `aria-sort` on the
 * sorted column, an arrow showing the direction.
 */
export function SortableTH({
  label,
  column,
  sort,
  href,
  className,
}: {
  label: string;
  column: string;
  sort: SortState;
  href: string;
  className?: string;
}) {
  const active = sort.column === column;
  const Icon = !active ? ArrowUpDown : sort.direction === "asc" ? ArrowUp : ArrowDown;
  return (
    <TH aria-sort={active ? (sort.direction === "asc" ? "ascending" : "descending") : "none"} className={className}>
      <Link
        href={href}
        className="inline-flex items-center gap-1 whitespace-nowrap uppercase hover:text-slate-950 hover:underline underline-offset-4"
      >
        {label}
        <Icon aria-hidden className={active ? "size-3.5" : "size-3.5 text-slate-400"} />
        <span className="sr-only">
          {active ? `, sorted ${sort.direction === "asc" ? "ascending" : "descending"}; ` : ", "}sort
        </span>
      </Link>
    </TH>
  );
}
