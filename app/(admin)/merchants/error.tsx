"use client";

import { SectionError } from "@/components/ui/section-error";

export default function MerchantsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Merchants" error={error} reset={reset} />;
}
