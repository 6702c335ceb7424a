"use client";

import { useEffect, useState } from "react";
import { formatDateTime } from "@/lib/format";
import { formatRelative } from "@/lib/lists/time";

/**
 * A time as "3 min ago", the exact UTC time on hover (`title`) and in `dateTime`. Rendered
 * against the server's clock (`now`, so the first paint matches), then kept current each minute.
 */
export function RelativeTime({ value, now }: { value: Date; now: number }) {
  const [current, setCurrent] = useState(now);
  useEffect(() => {
    const tick = () => setCurrent(Date.now());
    const timer = setInterval(tick, 60_000);
    return () => clearInterval(timer);
  }, []);
  const exact = formatDateTime(value);
  return (
    <time dateTime={value.toISOString()} title={exact} className="whitespace-nowrap">
      {formatRelative(value, Math.max(current, now))}
    </time>
  );
}
