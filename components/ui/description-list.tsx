import * as React from "react";
import { cn } from "@/lib/utils";
import { CopyButton } from "./copy-button";

/** A fact's label: small capitals, muted. Also for a heading that reads as one (a QR payload's). */
export const TERM_CLASS = "text-xs font-medium uppercase tracking-wide text-slate-600";

/** Facts, each a label over its value, in a grid of `columns` from the small breakpoint up. */
export function DescriptionList({
  columns = 2,
  className,
  ...props
}: React.ComponentProps<"dl"> & { columns?: 1 | 2 | 3 }) {
  return (
    <dl
      className={cn(
        "grid grid-cols-1 gap-x-6 gap-y-3 text-sm",
        columns === 2 && "sm:grid-cols-2",
        columns === 3 && "sm:grid-cols-3",
        className,
      )}
      {...props}
    />
  );
}

/**
 * One fact of a DescriptionList. `copy` puts a copy button after the value (the text it copies;
 * `copyLabel` names it, the label by default); `mono` sets the value as an identifier (in
 * `valueClassName`'s size if given); `hint` says what the value is for, under it.
 */
export function Description({
  label,
  aside,
  children,
  testId,
  mono = false,
  copy,
  copyLabel,
  hint,
  className,
  valueClassName,
}: {
  label: string;
  /** After the label, in its own case: a field's wire name. */
  aside?: React.ReactNode;
  children: React.ReactNode;
  /** On the value. */
  testId?: string;
  mono?: boolean;
  copy?: string;
  copyLabel?: string;
  hint?: React.ReactNode;
  className?: string;
  valueClassName?: string;
}) {
  return (
    <div className={cn("min-w-0", className)}>
      <dt className={TERM_CLASS}>
        {label}
        {aside}
      </dt>
      {mono || copy !== undefined ? (
        <dd className="flex min-w-0 items-center gap-1">
          <span className={cn(mono && "min-w-0 break-all font-mono text-xs", valueClassName) || undefined} data-testid={testId}>
            {children}
          </span>
          {copy !== undefined ? <CopyButton value={copy} label={copyLabel ?? label} /> : null}
        </dd>
      ) : (
        <dd className={cn("min-w-0 break-words", valueClassName)} data-testid={testId}>
          {children}
        </dd>
      )}
      {hint ? <dd className="text-xs text-slate-600">{hint}</dd> : null}
    </div>
  );
}
