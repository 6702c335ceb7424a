"use client";

import { SectionError } from "@/components/ui/section-error";

export default function LocationsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Locations" error={error} reset={reset} />;
}
