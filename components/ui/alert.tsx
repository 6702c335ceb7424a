import * as React from "react";
import { cn } from "@/lib/utils";

const tones = {
  info: "border-brand-600/30 bg-brand-50 text-brand-800",
  success: "border-green-600/30 bg-green-50 text-green-900",
  warning: "border-amber-600/40 bg-amber-50 text-amber-950",
  danger: "border-red-600/30 bg-red-50 text-red-900",
};

/** A message box. `role="status"` by default; errors pass role="alert". */
export function Alert({
  tone = "info",
  title,
  className,
  children,
  ...props
}: React.HTMLAttributes<HTMLDivElement> & { tone?: keyof typeof tones; title?: string }) {
  return (
    <div role="status" className={cn("rounded-md border px-4 py-3 text-sm", tones[tone], className)} {...props}>
      {title ? <p className="font-semibold">{title}</p> : null}
      <div className={title ? "mt-1" : undefined}>{children}</div>
    </div>
  );
}
