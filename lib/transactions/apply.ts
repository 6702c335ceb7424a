/**
 * applyTransactionEvent: the one path by which a transaction's status changes, whoever observed
 * it (a webhook delivery, a poll, an operation's answer). It is
 * - idempotent: an observation is fingerprinted (status, amounts, times); the same one twice is
 *   one event and changes nothing;
 * - order-safe: lib/transactions/status.ts decides whether the observed status moves the
 *   transaction (a late IN_PROGRESS never overwrites a final status; SUCCESS → REVERTED is the
 *   one way out of a final status);
 * - kept: every distinct observation is a transaction_events row with its source, time,
 *   delivery or operation, and its effect (created, changed, updated, ignored with why).
 * A transaction first seen here (started from a POS, not from Pairdesk) is created, linked to
 * the terminal and pairing it was observed through. Call it inside a write transaction.
 */
import { DomainError } from "../errors";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { prepared } from "../db/prepared";
import type { DB, Tx } from "../db/open";
import { transactionEvents, transactionOperations, transactions } from "../db/schema";
import { isFinalStatus, type Environment, type EventEffect, type EventSource, type TransactionKind, type TransactionStatus } from "../domain";
import type { ProviderTransaction } from "../providers/types";
import { formatAmount } from "./money";
import { fingerprintOf, kindFromTags, mergedDetails, observedChanges, observedJson, wantsSlip } from "./observation";
import { nextPollAt } from "../poller/schedule";
import { decideStatus } from "./status";
import { firstRow, returnedRow } from "../db/query";

/** The pairing an observation came through (its webhook URL, or the credentials that polled). */
export type ObservedVia = {
  pairingId: number;
  merchantId: number;
  terminalRef: number;
  environment: Environment;
};

type ObservationSource =
  | { source: "webhook"; deliveryId: number }
  | { source: "poll" }
  | { source: "operation"; operationId: number };

/** What the caller knows when it creates the transaction itself (an operation's answer). */
type CreateHints = {
  kind?: TransactionKind;
  registerRef?: number | null;
  createdById?: number | null;
  linkedTransactionRef?: number | null;
};

export type ApplyInput = {
  observation: ProviderTransaction;
  via: ObservedVia;
  from: ObservationSource;
  /** Defaults to Date.now(). */
  at?: number;
  create?: CreateHints;
};

export type ApplyResult = {
  transactionRef: number;
  /** "duplicate": already observed, or nothing new in it; nothing was written. */
  effect: EventEffect | "duplicate";
  status: TransactionStatus;
  previous: TransactionStatus | null;
  eventId: number | null;
  note: string | null;
  /** Set when the observation contradicted a final transaction's amount or currency: kept, not applied. */
  conflict?: string;
};

/**
 * Once final, a transaction's amount and currency stay (the amount is its refund ceiling): an
 * observation that says otherwise is kept as an ignored event and flagged, not applied. A
 * successful preauthorisation's amount still moves by its own increments and completion, when
 * the new amount is one that an operation sent from Pairdesk asked for.
 */
async function finalConflict(tx: DB | Tx, existing: typeof transactions.$inferSelect, o: ProviderTransaction): Promise<string | null> {
  const money = (minor: number, currency: string | null) => formatAmount(minor, currency);
  // A charge or refund Pairdesk sent has the amount it asked for, final or not.
  if (existing.createdById !== null && existing.kind !== "preauth" && o.amount !== existing.amount) {
    return `Conflict, not applied: this observation says the amount is ${money(o.amount, existing.currency)}, but Pairdesk sent it for ${money(existing.amount, existing.currency)}.`;
  }
  if (!isFinalStatus(existing.status)) return null;
  if (existing.currency !== null && o.currency !== null && o.currency !== existing.currency) {
    return `Conflict, not applied: this observation says the currency is ${o.currency}, but the transaction is final in ${existing.currency}. A final transaction's amount and currency do not change.`;
  }
  if (o.amount === existing.amount) {
    // The tip and the total of a final transaction stay too (the total is amount + tip).
    const changed = (was: number | null, now: number | null) => was !== null && now !== null && was !== now;
    if (changed(existing.tipAmount, o.tipAmount) || changed(existing.totalAmount, o.totalAmount)) {
      return `Conflict, not applied: this observation says the tip is ${money(o.tipAmount ?? 0, existing.currency)} and the total ${money(o.totalAmount ?? o.amount, existing.currency)}, but the transaction is final with ${money(existing.tipAmount ?? 0, existing.currency)} and ${money(existing.totalAmount ?? existing.amount, existing.currency)}. A final transaction's amounts do not change.`;
    }
    return null;
  }
  if (existing.kind === "preauth" && existing.status === "SUCCESS") {
    const asked = await tx
      .select({ kind: transactionOperations.kind, amount: transactionOperations.amount })
      .from(transactionOperations)
      .where(
        and(
          eq(transactionOperations.transactionRef, existing.id),
          inArray(transactionOperations.kind, ["preauth_increment", "preauth_complete"]),
          inArray(transactionOperations.status, ["sent", "succeeded", "outcome_unknown"]),
        ),
      );
    if (asked.some((op) => op.amount !== null && (op.kind === "preauth_complete" ? op.amount === o.amount : existing.amount + op.amount === o.amount))) return null;
  }
  return `Conflict, not applied: this observation says the amount is ${money(o.amount, existing.currency)}, but the transaction is final at ${money(existing.amount, existing.currency)}. A final transaction's amount and currency do not change.`;
}

type EventRow = typeof transactionEvents.$inferInsert;

/** Inserts an event unless the same observation is already kept; its id, or undefined. */
function insertEvent(tx: Tx, row: Required<Pick<EventRow, "transactionRef" | "status" | "source" | "effect" | "fingerprint">> & Pick<EventRow, "note" | "deliveryId" | "operationId" | "observed" | "at">) {
  return firstRow(prepared(tx, "apply.event", (db) =>
    db
      .insert(transactionEvents)
      .values({
        transactionRef: sql.placeholder("transactionRef"),
        status: sql.placeholder("status"),
        source: sql.placeholder("source"),
        effect: sql.placeholder("effect"),
        note: sql.placeholder("note"),
        deliveryId: sql.placeholder("deliveryId"),
        operationId: sql.placeholder("operationId"),
        fingerprint: sql.placeholder("fingerprint"),
        observed: sql.placeholder("observed"),
        at: sql.placeholder("at"),
      })
      .onConflictDoNothing()
      .returning({ id: transactionEvents.id })
      .prepare(),
  ).execute({
    note: null,
    deliveryId: null,
    operationId: null,
    observed: null,
    ...row,
    // Placeholders go through the column's own mapping (a Date for a timestamp).
    at: row.at instanceof Date ? row.at : new Date(row.at ?? Date.now()),
  }));
}

function sourceRefs(from: ObservationSource) {
  return {
    deliveryId: from.source === "webhook" ? from.deliveryId : null,
    operationId: from.source === "operation" ? from.operationId : null,
  };
}

export async function applyTransactionEvent(tx: Tx, input: ApplyInput): Promise<ApplyResult> {
  const { observation: o, via, from } = input;
  const at = input.at ?? Date.now();
  const source: EventSource = from.source;
  const fingerprint = fingerprintOf(o);

  const existing = await firstRow(prepared(tx, "apply.existing", (db) =>
    db
      .select()
      .from(transactions)
      .where(and(eq(transactions.environment, sql.placeholder("environment")), eq(transactions.providerTransactionId, sql.placeholder("id"))))
      .prepare(),
  ).execute({ environment: via.environment, id: o.transactionId }));

  if (!existing) return create(tx, input, at, source, fingerprint);
  // A pairing speaks for its own terminal only: a (verified) webhook about another terminal's
  // transaction, perhaps another merchant's, changes nothing there.
  if (existing.terminalRef !== via.terminalRef) throw foreignTransaction(o.transactionId);
  // Nor for another merchant's: a terminal paired by another merchant since speaks for that
  // merchant's payments only (operations and polls refuse the same, lib/transactions/pairing-reach.ts).
  if (existing.merchantId !== via.merchantId) throw foreignTransaction(o.transactionId, "merchant");

  const conflict = await finalConflict(tx, existing, o);
  if (conflict) return keepIgnored(tx, existing, input, { at, fingerprint, note: conflict, conflict: true });
  const decision = decideStatus(existing.status, o.status);
  if (decision.effect === "ignored") return keepIgnored(tx, existing, input, { at, fingerprint, note: decision.note, conflict: false });

  const { changes, notes } = observedChanges(existing, o);
  const statusChanged = decision.effect === "changed";
  if (!statusChanged && Object.keys(changes).length === 0) {
    return { transactionRef: existing.id, effect: "duplicate", status: existing.status, previous: existing.status, eventId: null, note: null };
  }
  const effect: EventEffect = statusChanged ? "changed" : "updated";
  const note = statusChanged
    ? [`${existing.status} → ${o.status}`, ...notes].join("; ")
    : notes.join("; ") || "details updated";

  const event = await insertEvent(tx, {
      transactionRef: existing.id,
      status: o.status,
      source,
      effect,
      note,
      ...sourceRefs(from),
      fingerprint,
      observed: observedJson(o),
      at: new Date(at),
    });
  if (!event) {
    return { transactionRef: existing.id, effect: "duplicate", status: existing.status, previous: existing.status, eventId: null, note: null };
  }

  if (statusChanged) {
    changes.status = o.status;
    changes.statusSource = source;
    changes.statusChangedAt = new Date(at);
    if (isFinalStatus(o.status)) {
      changes.staleAt = null;
      changes.pollError = null;
      // One more visit by the poller to fetch the print slip, if it has one and none is kept.
      changes.nextPollAt = wantsSlip(o.status) && existing.slipFetchedAt === null ? new Date(at) : null;
    }
  }
  await tx.update(transactions)
    .set({ ...changes, lastSeenAt: new Date(at), updatedAt: new Date(at) })
    .where(eq(transactions.id, existing.id));
  if (statusChanged && isFinalStatus(o.status)) await settleCancels(tx, existing.id, o.status, at);
  return { transactionRef: existing.id, effect, status: statusChanged ? o.status : existing.status, previous: existing.status, eventId: event.id, note };
}

type Existing = typeof transactions.$inferSelect;

/**
 * Keeps an observation that changes nothing as an ignored event, with why (a late status, or a
 * final transaction's conflicting amount or currency, which also flags the transaction).
 */
async function keepIgnored(
  tx: Tx,
  existing: Existing,
  input: ApplyInput,
  { at, fingerprint, note, conflict }: { at: number; fingerprint: string; note: string; conflict: boolean },
): Promise<ApplyResult> {
  const { observation: o, from } = input;
  const event = await insertEvent(tx, {
    transactionRef: existing.id,
    status: o.status,
    source: from.source,
    effect: "ignored",
    note,
    ...sourceRefs(from),
    fingerprint,
    observed: observedJson(o),
    at: new Date(at),
  });
  if (event && conflict) {
    await tx.update(transactions).set({ conflictAt: new Date(at), conflictNote: note }).where(eq(transactions.id, existing.id));
  }
  return {
    transactionRef: existing.id,
    effect: event ? "ignored" : "duplicate",
    status: existing.status,
    previous: existing.status,
    eventId: event?.id ?? null,
    note,
    ...(conflict ? { conflict: note } : {}),
  };
}

/** A cancel has no operation of its own to follow: the transaction's final status says how it ended. */
async function settleCancels(tx: Tx, transactionRef: number, status: TransactionStatus, at: number): Promise<void> {
  await tx
    .update(transactionOperations)
    .set(
      status === "CANCELED"
        ? { status: "succeeded", finishedAt: new Date(at) }
        : { status: "failed", finishedAt: new Date(at), reason: `The payment ended as ${status} before the terminal cancelled it.` },
    )
    .where(and(eq(transactionOperations.transactionRef, transactionRef), eq(transactionOperations.kind, "cancel"), eq(transactionOperations.status, "sent")));
}

/** An observation, through one terminal's pairing, of a transaction that belongs to another terminal. */
function foreignTransaction(transactionId: string, whose: "terminal" | "merchant" = "terminal"): DomainError {
  return new DomainError(
    "foreign_transaction",
    whose === "terminal"
      ? `Transaction ${transactionId} belongs to another terminal than this pairing's: it was not changed.`
      : `Transaction ${transactionId} belongs to a merchant that paired this terminal before: this pairing does not speak for it, and it was not changed.`,
  );
}

async function create(tx: Tx, input: ApplyInput, at: number, source: EventSource, fingerprint: string): Promise<ApplyResult> {
  const { observation: o, via, from } = input;
  // A create call whose answer was lost (outcome unknown) left an operation with our
  // client_transaction_id and no transaction: this observation is its transaction.
  const orphan = o.clientTransactionId
    ? await firstRow(tx
        .select()
        .from(transactionOperations)
        .where(
          and(
            eq(transactionOperations.environment, via.environment),
            eq(transactionOperations.clientTransactionId, o.clientTransactionId),
            // Only an operation sent to this same terminal: another's is not this one's to claim.
            eq(transactionOperations.terminalRef, via.terminalRef),
            isNull(transactionOperations.resultTransactionRef),
          ),
        ).limit(1))
    : undefined;
  const hints = input.create ?? {};
  const kind: TransactionKind =
    hints.kind ??
    (orphan?.kind === "charge" || orphan?.kind === "preauth" || orphan?.kind === "independent_refund" ? orphan.kind : kindFromTags(o));
  let linkedRef = hints.linkedTransactionRef ?? null;
  if (linkedRef === null && o.linkedTransactionId) {
    linkedRef =
      (await firstRow(tx
        .select({ id: transactions.id })
        .from(transactions)
        .where(
          and(
            eq(transactions.environment, via.environment),
            eq(transactions.providerTransactionId, o.linkedTransactionId),
            // A refund is made on the terminal that took the payment.
            eq(transactions.terminalRef, via.terminalRef),
          ),
        ).limit(1)))?.id ?? null;
  }
  const final = isFinalStatus(o.status);
  const created = await returnedRow(prepared(tx, "apply.create", (db) =>
    db
      .insert(transactions)
      .values({
        merchantId: sql.placeholder("merchantId"),
        environment: sql.placeholder("environment"),
        terminalRef: sql.placeholder("terminalRef"),
        pairingId: sql.placeholder("pairingId"),
        registerRef: sql.placeholder("registerRef"),
        providerTransactionId: sql.placeholder("providerTransactionId"),
        clientTransactionId: sql.placeholder("clientTransactionId"),
        kind: sql.placeholder("kind"),
        linkedTransactionRef: sql.placeholder("linkedTransactionRef"),
        amount: sql.placeholder("amount"),
        tipAmount: sql.placeholder("tipAmount"),
        totalAmount: sql.placeholder("totalAmount"),
        refundTotalAmount: sql.placeholder("refundTotalAmount"),
        currency: sql.placeholder("currency"),
        paymentMethod: sql.placeholder("paymentMethod"),
        paymentOption: sql.placeholder("paymentOption"),
        status: sql.placeholder("status"),
        statusSource: sql.placeholder("statusSource"),
        statusChangedAt: sql`${sql.placeholder("statusChangedAt")}`,
        lastSeenAt: sql`${sql.placeholder("lastSeenAt")}`,
        providerCreatedAt: sql`${sql.placeholder("providerCreatedAt")}`,
        completedAt: sql`${sql.placeholder("completedAt")}`,
        canceledAt: sql`${sql.placeholder("canceledAt")}`,
        revertedAt: sql`${sql.placeholder("revertedAt")}`,
        details: sql.placeholder("details"),
        nextPollAt: sql`${sql.placeholder("nextPollAt")}`,
        createdById: sql.placeholder("createdById"),
        createdAt: sql`${sql.placeholder("createdAt")}`,
        updatedAt: sql`${sql.placeholder("updatedAt")}`,
      })
      .returning({ id: transactions.id })
      .prepare(),
  ).execute({
      merchantId: orphan?.merchantId ?? via.merchantId,
      environment: via.environment,
      terminalRef: orphan?.terminalRef ?? via.terminalRef,
      pairingId: orphan?.pairingId ?? via.pairingId,
      registerRef: hints.registerRef ?? orphan?.registerRef ?? null,
      providerTransactionId: o.transactionId,
      clientTransactionId: o.clientTransactionId,
      kind,
      linkedTransactionRef: linkedRef,
      amount: o.amount,
      tipAmount: o.tipAmount,
      totalAmount: o.totalAmount,
      refundTotalAmount: o.refundTotalAmount ?? 0,
      currency: o.currency,
      paymentMethod: o.paymentMethod,
      paymentOption: o.paymentOption,
      status: o.status,
      statusSource: source,
      statusChangedAt: at,
      lastSeenAt: at,
      providerCreatedAt: o.createdAt,
      completedAt: o.completedAt,
      canceledAt: o.canceledAt,
      revertedAt: o.revertedAt,
      details: mergedDetails(null, o.details),
      // Timestamps go in raw (milliseconds): a null would not pass the Date mapping.
      nextPollAt: final ? (wantsSlip(o.status) ? at : null) : (nextPollAt(at, at) ?? at),
      createdById: hints.createdById ?? orphan?.createdById ?? null,
      createdAt: at,
      updatedAt: at,
    }));

  if (orphan) {
    await tx.update(transactionOperations)
      .set({ resultTransactionRef: created.id })
      .where(eq(transactionOperations.id, orphan.id));
  }
  const note =
    from.source === "webhook"
      ? orphan
        ? "First seen in a webhook, before the answer to the operation that sent it: linked to that operation."
        : "First seen in a webhook (started outside Pairdesk, or its create answer was not kept)."
      : null;
  const event = await insertEvent(tx, {
      transactionRef: created.id,
      status: o.status,
      source,
      effect: "created",
      note,
      ...sourceRefs(from),
      fingerprint,
      observed: observedJson(o),
      at: new Date(at),
    });
  return { transactionRef: created.id, effect: "created", status: o.status, previous: null, eventId: event?.id ?? null, note };
}
