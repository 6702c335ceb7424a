import { FlaskConical } from "lucide-react";

/** On every page while the built-in simulator is on: nothing here reaches a real terminal. */
export function SimulatorBanner() {
  return (
    <div
      role="note"
      aria-label="Simulator"
      data-testid="simulator-banner"
      className="sticky top-0 z-40 flex h-(--banner-h) items-center justify-center gap-2 overflow-hidden bg-caution px-4 text-center text-xs font-semibold text-caution-ink"
    >
      <FlaskConical aria-hidden className="size-4 shrink-0" />
      <span className="truncate">
        Simulator on<span className="hidden sm:inline">: Pay-Connect calls may reach simulated terminals</span>. Not for
        real payments.
      </span>
    </div>
  );
}
