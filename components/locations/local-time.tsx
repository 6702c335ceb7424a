"use client";

import { useEffect, useState } from "react";

/** "14:05 (Sun 22 Nov)": the wall-clock time in `timeZone` at `at`. */
function formatLocalTime(timeZone: string, at: number): string {
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(at);
  const day = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", day: "numeric", month: "short" }).format(at);
  return `${time} (${day})`;
}

/**
 * The location's current local time, kept current each minute. The server's first render uses
 * the page's read time (`now`), so server and browser agree until the first tick.
 */
export function LocalTime({ timeZone, now }: { timeZone: string; now: number }) {
  const [at, setAt] = useState(now);
  useEffect(() => {
    const tick = setInterval(() => setAt(Date.now()), 30_000);
    return () => clearInterval(tick);
  }, []);
  return (
    <span data-testid="location-local-time" className="tabular-nums">
      {formatLocalTime(timeZone, at)}
    </span>
  );
}
