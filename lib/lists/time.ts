/**
 * "3 min ago": how long ago a time was, as people say it. Seconds under 45 are "just now";
 * after 30 days the date itself reads better than a count. Future times (clock skew) read
 * "just now" too.
 */
const date = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export function formatRelative(value: Date, now: number): string {
  const seconds = Math.round((now - value.getTime()) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return "yesterday";
  if (days <= 30) return `${days} days ago`;
  return date.format(value);
}
