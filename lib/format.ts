const dateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "medium",
  timeZone: "UTC",
});

/** A timestamp as staff read it, in UTC so every reader sees the same time. */
export function formatDateTime(value: Date | number | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? "—" : `${dateTime.format(d)} UTC`;
}
