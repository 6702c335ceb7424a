import { cn } from "@/lib/utils";

/**
 * A long value cut to one line with an ellipsis; the full text on hover (and for screen readers).
 * In a stacked table row (components/ui/table.tsx) it wraps instead, found by `data-truncate`.
 */
export function Truncate({ text, className }: { text: string; className?: string }) {
  return (
    <span title={text} data-truncate="" className={cn("block max-w-[16rem] truncate", className)}>
      {text}
    </span>
  );
}

/**
 * A long text shown in full only on demand: its first `chars` characters and "more", which opens
 * the whole text (a tap works on a phone, where there is no hover). Short texts show as they are.
 */
export function LongText({ text, chars = 120, className }: { text: string; chars?: number; className?: string }) {
  if (text.length <= chars + 20) return <p className={className}>{text}</p>;
  const cut = text.lastIndexOf(" ", chars);
  const head = text.slice(0, cut > chars / 2 ? cut : chars);
  return (
    <details className={cn("group", className)}>
      <summary className="cursor-pointer list-none">
        <span className="group-open:hidden">
          {head}… <span className="font-medium text-brand-700 underline underline-offset-2">more</span>
        </span>
        <span className="hidden font-medium text-brand-700 underline underline-offset-2 group-open:inline">less</span>
      </summary>
      <p className="mt-1">{text}</p>
    </details>
  );
}
