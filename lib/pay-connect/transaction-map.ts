/**
 * Pay-Connect's transaction-shaped answers (webhook items, the status poll, the print slip, the
 * configuration) mapped onto the provider-neutral types of lib/providers/types.ts. Card numbers
 * never leave this file whole: only their last four digits.
 */
import type { z } from "zod";
import type { PrintSlip, ProviderTransaction, TerminalConfiguration } from "../providers/types";
import type { configurationSchema, printSlipSchema, transactionObjectSchema } from "./wire";

/** Milliseconds since the epoch of an ISO 8601 time, or null when absent or unreadable. */
function timeOf(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** The last four digits of a (masked) card number, or null. */
function last4(cardNumber: string | null | undefined): string | null {
  const digits = (cardNumber ?? "").replace(/\D/g, "");
  return digits.length >= 4 ? digits.slice(-4) : null;
}

const text = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/** ISO 4217 alpha-3 in upper case, or null for anything else. */
function currencyOf(v: string | null | undefined): string | null {
  const t = v?.trim().toUpperCase();
  return t && /^[A-Z]{3}$/.test(t) ? t : null;
}

export function toProviderTransaction(o: z.output<typeof transactionObjectSchema>): ProviderTransaction {
  const details: ProviderTransaction["details"] = {};
  const keep = (key: string, value: string | number | null | undefined) => {
    if (value !== null && value !== undefined && value !== "") details[key] = value;
  };
  keep("external_transaction_id", text(o.external_transaction_id));
  keep("card_gateway_transaction_id", text(o.card_gateway_transaction_id));
  keep("terminal_serial_number", text(o.terminal_serial_number));
  keep("timezone", text(o.timezone));
  keep("card_tid", text(o.card_tid));
  keep("card_last4", last4(o.card_number));
  keep("crypto_amount", o.crypto_amount ?? null);
  keep("crypto_payment_network", text(o.crypto_payment_network));
  return {
    transactionId: o.id.trim(),
    status: o.status,
    amount: o.amount,
    tipAmount: o.tip_amount ?? null,
    totalAmount: o.total_amount ?? null,
    refundTotalAmount: o.refund_total_amount ?? null,
    currency: currencyOf(o.currency),
    paymentMethod: text(o.payment_method),
    paymentOption: text(o.payment_option),
    clientTransactionId: text(o.client_transaction_id),
    linkedTransactionId: text(o.linked_transaction_id),
    terminalId: text(o.terminal_id),
    tags: (o.tags ?? []).map((t) => t.trim()).filter(Boolean),
    createdAt: timeOf(o.created_at),
    completedAt: timeOf(o.completed_at),
    canceledAt: timeOf(o.canceled_at),
    revertedAt: timeOf(o.reverted_at),
    details,
  };
}

export function toPrintSlip(o: z.output<typeof printSlipSchema>): PrintSlip {
  const org = o.organization;
  const address = org
    ? [org.address, [org.postal_code, org.city].filter(Boolean).join(" "), org.region, org.country]
        .map((p) => text(p ?? null))
        .filter(Boolean)
        .join(", ") || null
    : null;
  return {
    merchantName: text(org?.full_name),
    address,
    pointOfSale: text(o.point_of_sale?.full_name),
    amount: o.amount ?? null,
    tipAmount: o.tip_amount ?? null,
    totalAmount: o.total_amount ?? null,
    refundTotalAmount: o.refund_total_amount ?? null,
    currency: currencyOf(o.currency),
    status: text(o.status),
    paymentMethod: text(o.payment_method),
    paymentOption: text(o.payment_option),
    cardType: text(o.card_type),
    cardLast4: last4(o.card_number),
    approveCode: text(o.approve_code),
    aid: text(o.aid),
    cardTid: text(o.card_tid),
    timeZone: text(o.timezone),
    createdAt: timeOf(o.created_at),
    completedAt: timeOf(o.completed_at),
    canceledAt: timeOf(o.canceled_at),
    revertedAt: timeOf(o.reverted_at),
    digitalSlip: text(o.digital_slip),
  };
}

export function toConfiguration(o: z.output<typeof configurationSchema>): TerminalConfiguration {
  return {
    currency: currencyOf(o.currency),
    timeZone: text(o.timezone),
    paymentMethods: (o.payment_methods ?? []).map((m) => m.trim()).filter(Boolean),
  };
}
