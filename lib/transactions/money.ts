/**
 * Amounts: the provider speaks integers in the currency's minor units (cents for EUR, none for
 * JPY). These turn them into what a person reads and back, with the currency's own number of
 * decimals (ISO 4217, as Intl knows it). No imports: client components use them too.
 */

// Building an Intl.NumberFormat costs far more than using one (a list page formats a hundred
// amounts): each is made once per currency (and locale) and kept. A currency Intl refuses is
// remembered as null.
const digitsOf = new Map<string, number>();
const formatters = new Map<string, Intl.NumberFormat | null>();

/** How many decimals the currency has (2 when unknown or absent). */
export function currencyDigits(currency: string | null | undefined): number {
  if (!currency) return 2;
  let digits = digitsOf.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    if (digitsOf.size < 500) digitsOf.set(currency, digits);
  }
  return digits;
}

function formatterFor(locale: string, currency: string, digits: number): Intl.NumberFormat | null {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    try {
      formatter = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      formatter = null;
    }
    if (formatters.size < 500) formatters.set(key, formatter);
  }
  return formatter;
}

/** "€12.50", or "12.50" when the currency is unknown. */
export function formatAmount(minor: number, currency: string | null | undefined, locale = "en-GB"): string {
  const digits = currencyDigits(currency);
  const major = minor / 10 ** digits;
  if (!currency) return major.toFixed(digits);
  const formatter = formatterFor(locale, currency, digits);
  return formatter ? formatter.format(major) : `${major.toFixed(digits)} ${currency}`;
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; error: string };

/** The largest amount accepted from a form, in minor units (a safety cap, not a provider rule). */
const MAX_AMOUNT_MINOR = 100_000_000_00;

/**
 * "12.5", "12,50", "1 234.56" → minor units of `currency`. Refuses more decimals than the currency
 * has, signs, exponents and anything that is not a plain number, each with a message that says so.
 */
export function parseAmount(text: string, currency: string | null | undefined): ParsedAmount {
  const digits = currencyDigits(currency);
  const cleaned = text.trim().replace(/[\s\u00a0\u202f']/g, "");
  if (cleaned === "") return { ok: false, error: "Enter an amount." };
  if (cleaned.startsWith("-")) return { ok: false, error: "Enter an amount above zero." };
  // One decimal separator at most: "." or ",".
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(cleaned);
  if (!match) return { ok: false, error: "Enter the amount as a number, like 12.50." };
  const whole = match[1]!;
  const fraction = match[2] ?? "";
  if (fraction.length > digits) {
    return {
      ok: false,
      error:
        digits === 0
          ? `${currency ?? "This currency"} has no decimals: enter a whole amount.`
          : `${currency ?? "This currency"} has ${digits} decimals at most.`,
    };
  }
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(minor)) return { ok: false, error: "That amount is too large." };
  if (minor <= 0) return { ok: false, error: "Enter an amount above zero." };
  if (minor > MAX_AMOUNT_MINOR) return { ok: false, error: `That amount is too large (at most ${formatAmount(MAX_AMOUNT_MINOR, currency)}).` };
  return { ok: true, minor };
}
