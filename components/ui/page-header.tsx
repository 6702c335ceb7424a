import * as React from "react";

export function PageHeader({
  title,
  titleAside,
  description,
  actions,
}: {
  title: string;
  /** Beside the title, such as a copy button for the id it names. */
  titleAside?: React.ReactNode;
  description?: React.ReactNode;
  actions?: React.ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        <div className="flex min-w-0 flex-wrap items-center gap-x-2">
          <h1 className="min-w-0 break-words text-2xl font-semibold tracking-tight">{title}</h1>
          {titleAside}
        </div>
        {description ? <div className="mt-1 text-sm text-slate-600">{description}</div> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}
