"use client";

import { SectionError } from "@/components/ui/section-error";

export default function AttemptsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Pairing attempts" error={error} reset={reset} />;
}
