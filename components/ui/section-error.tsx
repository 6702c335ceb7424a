"use client";

import { AlertTriangle } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "./button";

/**
 * The error boundary body of an admin section (and of the whole app, app/error.tsx). Shows no
 * server detail, only a digest; when /api/health says the database does not answer (Postgres
 * restarting, the pool exhausted), it says that instead, since trying again shortly is the fix.
 */
export function SectionError({
  section,
  error,
  reset,
}: {
  section: string;
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const [databaseDown, setDatabaseDown] = useState(false);
  useEffect(() => {
    let live = true;
    fetch("/api/health", { cache: "no-store" })
      .then((r) => r.json() as Promise<{ checks?: { database?: { ok?: boolean } } }>)
      .then((h) => live && setDatabaseDown(h.checks?.database?.ok === false))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [error]);
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-white p-6">
      <div className="flex items-center gap-2 text-red-800">
        <AlertTriangle aria-hidden className="size-5" />
        <h1 className="text-lg font-semibold">{databaseDown ? "The database is unavailable" : `${section} could not be shown`}</h1>
      </div>
      <p className="mt-2 text-sm text-slate-700">
        {databaseDown
          ? "Pairdesk cannot reach its database right now, so nothing can be shown or saved. Try again in a minute; if it keeps failing, tell an operator (the database check of /api/health says so too)."
          : `Something went wrong while loading this page. Try again; if it keeps failing, give an operator this reference${error.digest ? `: ${error.digest}` : "."}`}
      </p>
      <Button className="mt-4" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
