import { selectField } from "@/components/lists/fields";
import type { FilterField } from "@/components/ui/filter-bar";
import { formatDateTime } from "@/lib/format";
import type { TransactionCount } from "@/lib/transactions/list-queries";

/** A terminal as the app names it: its pairing's name, then its id. */
export function terminalLabel(t: { terminalId: string; pairingName: string | null }): string {
  return t.pairingName ? `${t.pairingName} · ${t.terminalId}` : t.terminalId;
}

/** An option's label, cut so that one long name does not widen the filter bar. */
function optionLabel(text: string, max = 48): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A filter of the transactions or deliveries list by terminal or register: a select when the
 * scope has at most a couple of hundred of them (`options`, else null) and the one chosen is among
 * them; null otherwise, and the search box finds them (a chosen one stays, as a hidden field).
 */
export function choiceField<T extends { id: number }>(
  field: { id: string; label: string; name: string; all: string },
  options: T[] | null,
  chosen: number,
  label: (option: T) => string,
): FilterField | null {
  if (options === null || (chosen && !options.some((o) => o.id === chosen))) return null;
  return selectField(field.id, field.label, field.name, [["0", field.all], ...options.map((o) => [String(o.id), optionLabel(label(o))] as const)]);
}

const number = new Intl.NumberFormat("en-US");

/** "1–25 of 1,204", "26–50 of more than 10,000", "11 found among the 5,000 newest…": the transactions page's count. */
export function transactionCountText(count: TransactionCount, shown: number, newestFirst: boolean): string {
  if (count.kind === "window") {
    const found = `${number.format(count.matches)} ${count.matches === 1 ? "transaction" : "transactions"}`;
    if (count.through === null) return count.matches <= shown ? found : `1–${number.format(shown)} of ${number.format(count.matches)}`;
    return `${found} among the ${number.format(count.scanned)} ${newestFirst ? "newest" : "oldest"} (to ${formatDateTime(count.through)}); Next searches further`;
  }
  const of = count.kind === "exact" ? number.format(count.total) : "more than 10,000";
  if (shown === 0) return count.kind === "exact" && count.total === 0 ? "No transactions" : `None here, of ${of}`;
  return count.start === null ? `${shown} shown, of ${of}` : `${number.format(count.start)}–${number.format(count.start + shown - 1)} of ${of}`;
}
