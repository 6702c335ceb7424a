import { cn } from "@/lib/utils";

/** A long value cut to one line with an ellipsis; the full text on hover (and for screen readers). */
export function Truncate({ text, className }: { text: string; className?: string }) {
  return (
    <span title={text} className={cn("block max-w-[16rem] truncate", className)}>
      {text}
    </span>
  );
}
