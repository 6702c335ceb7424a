/** What the poller makes of a failed call: whether to retry it sooner, and its words for a person. */
import { ProviderError } from "../providers/types";

/** A failure worth retrying later with a longer wait. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof ProviderError)) return true;
  if (err.status === 429 || (err.status !== undefined && err.status >= 500)) return true;
  return err.code === "timeout" || err.code === "unreachable" || err.code === "unavailable";
}

export function plain(err: unknown): string {
  if (err instanceof ProviderError) return err.message;
  return "An unexpected error stopped this poll (see the server log).";
}

/** Errors of one run: how many, and the last one's words (for the workers row and /api/health). */
export type Tally = { errors: number; lastError: string | null };

export function failed(tally: Tally, err: unknown): void {
  tally.errors += 1;
  tally.lastError = plain(err);
}
