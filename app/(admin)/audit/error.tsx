"use client";

import { SectionError } from "@/components/ui/section-error";

export default function AuditError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="The audit log" error={error} reset={reset} />;
}
