"use client";

import { SectionError } from "@/components/ui/section-error";

export default function RegistersError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Registers" error={error} reset={reset} />;
}
