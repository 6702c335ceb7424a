"use client";

import { SectionError } from "@/components/ui/section-error";

export default function TransactionsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Transactions" error={error} reset={reset} />;
}
