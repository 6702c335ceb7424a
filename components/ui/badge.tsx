import { cva, type VariantProps } from "class-variance-authority";
import * as React from "react";
import { cn } from "@/lib/utils";

export const badgeVariants = cva(
  // One class (app/globals.css) for the shape every badge shares: a list draws several per row.
  "badge",
  {
    variants: {
      tone: {
        neutral: "bg-slate-100 text-slate-800 ring-slate-300",
        success: "bg-green-50 text-green-800 ring-green-600/30",
        warning: "bg-amber-50 text-amber-900 ring-amber-600/40",
        danger: "bg-red-50 text-red-800 ring-red-600/30",
        info: "bg-brand-50 text-brand-800 ring-brand-600/30",
      },
    },
    defaultVariants: { tone: "neutral" },
  },
);

export function Badge({
  className,
  tone,
  ...props
}: React.HTMLAttributes<HTMLSpanElement> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}
