"use client";

import { AlertTriangle } from "lucide-react";
import { Button } from "./button";

/** The error boundary body of an admin section. Shows no server detail, only a digest. */
export function SectionError({
  section,
  error,
  reset,
}: {
  section: string;
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-white p-6">
      <div className="flex items-center gap-2 text-red-800">
        <AlertTriangle aria-hidden className="size-5" />
        <h1 className="text-lg font-semibold">{section} could not be shown</h1>
      </div>
      <p className="mt-2 text-sm text-slate-700">
        Something went wrong while loading this page. Try again; if it keeps failing, give an
        operator this reference{error.digest ? `: ${error.digest}` : "."}
      </p>
      <Button className="mt-4" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
