"use client";

import { SectionError } from "@/components/ui/section-error";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="The dashboard" error={error} reset={reset} />;
}
