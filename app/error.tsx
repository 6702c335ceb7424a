"use client";

import { SectionError } from "@/components/ui/section-error";

/** Errors outside the admin sections (the admin layout's own session check, when the database is down). */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto max-w-xl p-6">
      <SectionError section="Pairdesk" error={error} reset={reset} />
    </main>
  );
}
