const dateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "medium",
  timeZone: "UTC",
});

const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** The day alone (UTC), for narrow columns; the full time goes in a title. */
export function formatDate(value: Date | number | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? "—" : dateOnly.format(d);
}

/** A timestamp as staff read it, in UTC so every reader sees the same time. */
export function formatDateTime(value: Date | number | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? "—" : `${dateTime.format(d)} UTC`;
}
