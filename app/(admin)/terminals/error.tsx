"use client";

import { SectionError } from "@/components/ui/section-error";

export default function TerminalsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Terminals" error={error} reset={reset} />;
}
