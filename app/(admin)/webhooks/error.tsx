"use client";

import { SectionError } from "@/components/ui/section-error";

export default function WebhooksError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError section="Webhook deliveries" error={error} reset={reset} />;
}
