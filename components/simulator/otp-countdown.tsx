"use client";

import { useSyncExternalStore } from "react";

// One shared one-second clock for every countdown on the page.
let now = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function getSnapshot() {
  if (!now) now = Date.now();
  return now;
}
// The server does not know the browser's clock: it renders no countdown.
const getServerSnapshot = () => null;

function format(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

/** "Expires in m:ss", then "Expired" once `expiresAt` (ms since the epoch) has passed. */
export function OtpCountdown({ expiresAt }: { expiresAt: number }) {
  const current = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
  if (current === null) return <span data-testid="sim-otp-countdown">Valid for 5 minutes</span>;
  const left = expiresAt - current;
  if (left <= 0) {
    return (
      <span data-testid="sim-otp-countdown" className="font-semibold text-amber-300">
        Expired: generate a new OTP
      </span>
    );
  }
  return (
    <span data-testid="sim-otp-countdown">
      Valid for 5 minutes · expires in <span className="font-mono tabular-nums">{format(left)}</span>
    </span>
  );
}
