/**
 * The back-office operations: charge, preauth and independent refund (which create a
 * transaction on a terminal), and cancel, refund, revert and preauth completion (which act on
 * one). Each checks, itself and whoever calls it:
 * - the role (transactions:operate; a charge needs transactions:charge, and support may send one
 *   only in the sandbox, to test a terminal);
 * - the merchant scope (another merchant's terminal or transaction is not found) and that the
 *   merchant is not suspended;
 * - that the terminal has an active pairing (its credentials make the call);
 * - the transaction's state (./allowed.ts: cancel while open, refund never more than what
 *   remains, revert only the terminal's latest success, completion of a successful preauth).
 * Then it writes the operation (pending) first, so that every try leaves a record; a second
 * submit of the same form (its request key) is refused; a create call carries a
 * client_transaction_id made from that key, so a retried submit cannot charge twice. The
 * provider's answer is recorded in one write with the transaction it creates (through
 * applyTransactionEvent, source "operation") and the audit entry. A provider refusal is shown in
 * its own plain words; an unknown outcome says what to check.
 */
import { and, eq, lt } from "drizzle-orm";
import { writeAudit, type AuditAction } from "../audit/audit";
import type { QueryContext } from "../auth/scope";
import { inScope, scopeWhere, scopedCommands } from "../auth/scope";
import type { DB } from "../db/open";
import { merchants, registers, terminals, transactionOperations, transactions } from "../db/schema";
import type { Environment, OperationKind, Role } from "../domain";
import { OPERATION_LABELS } from "../labels";
import { log } from "../log";
import { formatAmount } from "./money";
import { can, refusal } from "../auth/permissions";
import { ProviderError, type ClientCredentials, type TransactionProvider } from "../providers/types";
import { refundableAmount, refusalOf, type TargetOperation } from "./allowed";
import { applyTransactionEvent } from "./apply";
import { activePairingFor } from "./pairing-reach";
import { transactionFacts } from "./facts";
import { watchCredentials } from "../pairing/credentials-state";

import { changedRows, firstRow, returnedRow } from "../db/query";
import { isUniqueViolation } from "../db/errors";

type CreateKind = Extract<OperationKind, "charge" | "preauth" | "independent_refund">;

export type OperationRequest =
  | { kind: CreateKind; requestKey: string; terminalRef: number; registerRef?: number | null; amount: number; paymentMethod?: string | null }
  | { kind: "cancel" | "revert"; requestKey: string; transactionRef: number }
  | { kind: "refund" | "preauth_complete" | "preauth_increment"; requestKey: string; transactionRef: number; amount: number };

export type OperationOutcome =
  | { ok: true; operationId: number; transactionRef: number | null; message: string }
  | {
      ok: false;
      code: string;
      message: string;
      operationId?: number;
      /** Nothing happened on the provider's side: the same form may be sent again (with a new key). */
      retryable?: boolean;
    };

export type OperationDeps = {
  provider: (environment: Environment) => TransactionProvider;
  credentials: (db: DB, pairing: { id: number; clientId: string }) => Promise<ClientCredentials>;
  now?: () => number;
};

export type Operator = { id: number; email: string; role: Role };

type Refusal = Extract<OperationOutcome, { ok: false }>;
const refuse = (code: string, message: string): Refusal => ({ ok: false, code, message });

type Target = {
  merchantId: number;
  environment: Environment;
  terminalRef: number;
  terminalId: string;
  currency: string | null;
  registerRef: number | null;
  transaction: typeof transactions.$inferSelect | null;
};

async function resolveTarget(ctx: QueryContext, req: OperationRequest): Promise<Target | OperationOutcome> {
  const { db, scope } = ctx;
  if ("terminalRef" in req) {
    const terminal = await firstRow(db.select().from(terminals).where(and(eq(terminals.id, req.terminalRef), scopeWhere(scope, terminals.merchantId))).limit(1));
    if (!terminal) return refuse("not_found", "That terminal does not exist.");
    let registerRef: number | null = null;
    if (req.registerRef) {
      const register = await firstRow(db
        .select({ id: registers.id, terminalRef: registers.terminalRef, archivedAt: registers.archivedAt, name: registers.name })
        .from(registers)
        .where(and(eq(registers.id, req.registerRef), scopeWhere(scope, registers.merchantId))).limit(1));
      if (!register || register.archivedAt) return refuse("not_found", "That register does not exist or is archived.");
      if (register.terminalRef !== terminal.id) {
        return refuse("route_changed", `${register.name} no longer routes to ${terminal.terminalId}: reload the page to see its route.`);
      }
      registerRef = register.id;
    }
    return { merchantId: terminal.merchantId, environment: terminal.environment, terminalRef: terminal.id, terminalId: terminal.terminalId, currency: terminal.currency, registerRef, transaction: null };
  }
  const t = await firstRow(db.select().from(transactions).where(and(eq(transactions.id, req.transactionRef), scopeWhere(scope, transactions.merchantId))).limit(1));
  if (!t) return refuse("not_found", "That transaction does not exist.");
  const terminal = (await firstRow(db.select().from(terminals).where(eq(terminals.id, t.terminalRef)).limit(1)))!;
  return { merchantId: t.merchantId, environment: t.environment, terminalRef: t.terminalRef, terminalId: terminal.terminalId, currency: t.currency ?? terminal.currency, registerRef: t.registerRef, transaction: t };
}

/** Whether `role` may run `kind` in `environment`: null, or the refusal. */
export function roleRefusal(role: Role, kind: OperationKind, environment: Environment): string | null {
  if (kind === "charge") {
    if (!can(role, "transactions:charge")) return refusal(role, "transactions:charge");
    if (role === "support" && environment !== "sandbox") {
      return "Support can send charges in the sandbox only, to test a terminal: ask an admin for a production charge.";
    }
    return null;
  }
  return can(role, "transactions:operate") ? null : refusal(role, "transactions:operate");
}

export async function runOperation(ctx: QueryContext, deps: OperationDeps, user: Operator, req: OperationRequest): Promise<OperationOutcome> {
  const now = deps.now ?? Date.now;
  const target = await resolveTarget(ctx, req);
  if ("ok" in target) return target;
  const refused = await precheck(ctx, user, req, target);
  if (refused) return refused;
  const amount = "amount" in req ? req.amount : null;
  const clientTransactionId = "terminalRef" in req ? `pd-${req.requestKey}` : null;
  const recorded = await recordOperation(ctx, user, req, target, { amount, clientTransactionId, at: now() });
  if ("ok" in recorded) return recorded;
  const { operationId, pairing: via } = recorded;

  const what = `${OPERATION_LABELS[req.kind]}${amount !== null ? ` of ${formatAmount(amount, target.currency)}` : ""}`;
  let sent: Awaited<ReturnType<typeof sendToProvider>>;
  try {
    sent = await sendToProvider(ctx.db, deps, req, target, via, clientTransactionId);
  } catch (err) {
    const unknown = err instanceof ProviderError && err.outcome === "unknown";
    const reason = err instanceof ProviderError ? err.message : "An unexpected error stopped the operation (see the server log).";
    const code = err instanceof ProviderError ? err.code : "internal";
    await recordFailure(ctx.db, user, req, target, { operationId, amount, unknown, code, reason, at: now() });
    if (!(err instanceof ProviderError)) throw err;
    return { ok: false, code, message: `${what} ${unknown ? "may have been sent" : "was not sent"}: ${reason}`, operationId, retryable: !unknown };
  }
  let transactionRef: number | null;
  try {
    transactionRef = await recordSent(ctx.db, user, req, target, { operationId, via, amount, clientTransactionId, at: now(), ...sent });
  } catch (err) {
    // Pay-Connect accepted it, but its answer could not be written: never "failed" (sending it
    // again would charge twice). Its outcome is unknown until a webhook or the poller brings the
    // transaction (which links itself to this operation by its client transaction id).
    log.error({ operationId, kind: req.kind, err: (err as Error)?.message }, "an operation Pay-Connect accepted could not be recorded");
    const reason = "Pay-Connect accepted it, but Pairdesk could not record its answer.";
    await recordFailure(ctx.db, user, req, target, { operationId, amount, unknown: true, code: "internal", reason, at: now() }).catch((e: unknown) =>
      log.error({ operationId, err: (e as Error)?.message }, "the operation's unknown outcome could not be recorded either"),
    );
    return {
      ok: false,
      code: "internal",
      message: `${what} was sent to ${target.terminalId}, but Pairdesk could not record Pay-Connect's answer. Do not send it again: the transaction shows up once a webhook or the poller brings it.`,
      operationId,
      retryable: false,
    };
  }
  const message =
    req.kind === "cancel"
      ? `Cancel sent to ${target.terminalId}: the transaction's status will say when the terminal has cancelled it.`
      : sent.started
        ? `${what} sent: Pay-Connect confirms it shortly, and the transaction's status will follow.`
        : `${what} sent to ${target.terminalId}: it shows on the terminal now.`;
  return { ok: true, operationId, transactionRef, message };
}

type Via = { id: number; clientId: string };

/** Why a suspended merchant's operation is refused, in words for the one who sent it. */
function suspendedRefusal(scope: QueryContext["scope"], merchantName: string | undefined): Refusal {
  return refuse(
    "merchant_suspended",
    scope.kind === "merchant" ? "Your merchant is suspended: no operation can be sent." : `${merchantName ?? "This merchant"} is suspended: no operation can be sent. Reactivate it on the Merchants page first.`,
  );
}

/** Refusals that need no lock: the scope, the role for this kind and environment, the merchant, the amount. */
async function precheck(ctx: QueryContext, user: Operator, req: OperationRequest, target: Target): Promise<Refusal | null> {
  const { db, scope } = ctx;
  if (!inScope(scope, target.merchantId)) return refuse("not_found", "That terminal does not exist.");
  const roleRefused = roleRefusal(user.role, req.kind, target.environment);
  if (roleRefused) return refuse("forbidden", roleRefused);
  const merchant = await firstRow(db.select({ name: merchants.name, status: merchants.status }).from(merchants).where(eq(merchants.id, target.merchantId)).limit(1));
  if (merchant?.status !== "active") return suspendedRefusal(scope, merchant?.name);
  const amount = "amount" in req ? req.amount : null;
  if (amount !== null && (!Number.isSafeInteger(amount) || amount <= 0)) return refuse("invalid", "Enter an amount above zero.");
  return null;
}

/**
 * The state check and the operation's record in one immediate write transaction: of two
 * refunds sent at once (from two server processes on one database) only one passes the check
 * on what remains, and of two completions (or cancels, or reverts) only the first, since the
 * second sees the first one's pending record. The pairing is read in it too: an operation goes
 * only through the terminal's active pairing of the transaction's own merchant. And what the
 * prechecks read is read again here: a suspension of the merchant, or a register routed
 * elsewhere, that committed after them wins.
 */
async function recordOperation(
  ctx: QueryContext,
  user: Operator,
  req: OperationRequest,
  target: Target,
  { amount, clientTransactionId, at }: { amount: number | null; clientTransactionId: string | null; at: number },
): Promise<Refusal | { operationId: number; pairing: Via }> {
  const now = () => at;
  return ctx.db.transaction(
    async (tx): Promise<Refusal | { operationId: number; pairing: Via }> => {
      const merchant = await firstRow(tx.select({ name: merchants.name, status: merchants.status }).from(merchants).where(eq(merchants.id, target.merchantId)).limit(1));
      if (merchant?.status !== "active") return suspendedRefusal(ctx.scope, merchant?.name);
      if (!target.transaction && target.registerRef !== null) {
        const register = await firstRow(
          tx
            .select({ terminalRef: registers.terminalRef, archivedAt: registers.archivedAt, name: registers.name })
            .from(registers)
            .where(eq(registers.id, target.registerRef))
            .limit(1),
        );
        if (!register || register.archivedAt) return refuse("not_found", "That register does not exist or is archived.");
        if (register.terminalRef !== target.terminalRef) {
          return refuse("route_changed", `${register.name} no longer routes to ${target.terminalId}: reload the page to see its route.`);
        }
      }
      const reach = await activePairingFor(tx, target.terminalRef, target.merchantId);
      if (target.transaction) {
        const current = await firstRow(tx.select().from(transactions).where(eq(transactions.id, target.transaction.id)).limit(1)) ?? target.transaction;
        const facts = await transactionFacts(tx, current, now());
        const refused = refusalOf(req.kind as TargetOperation, facts);
        if (refused) return refuse(facts.pairing === "own" ? "not_allowed" : facts.pairing === "none" ? "not_paired" : "paired_elsewhere", refused);
        if (req.kind === "refund" && amount !== null && amount > refundableAmount(facts)) {
          return refuse(
            "not_allowed",
            `You can refund at most ${formatAmount(refundableAmount(facts), target.currency)}: the rest is refunded or being refunded.`,
          );
        }
      } else if (reach.reach === "elsewhere") {
        return refuse("paired_elsewhere", `Terminal ${target.terminalId} is paired to another merchant now: pair it again (with a new OTP from its screen) before sending payments to it.`);
      }
      if (!reach.pairing) return refuse("not_paired", `Terminal ${target.terminalId} has no active pairing: pair it again before sending operations to it.`);
      try {
        const operationId = (await returnedRow(tx
          .insert(transactionOperations)
          .values({
            requestKey: req.requestKey,
            kind: req.kind,
            merchantId: target.merchantId,
            environment: target.environment,
            terminalRef: target.terminalRef,
            pairingId: reach.pairing.id,
            registerRef: target.registerRef,
            transactionRef: target.transaction?.id ?? null,
            amount,
            paymentMethod: "paymentMethod" in req ? (req.paymentMethod ?? null) : null,
            clientTransactionId,
            createdById: user.id,
            createdAt: new Date(now()),
          })
          .returning({ id: transactionOperations.id }))).id;
        return { operationId, pairing: reach.pairing };
      } catch (err) {
        if (isUniqueViolation(err, "transaction_operations")) {
          return refuse("duplicate", "This form was already sent: reload the page to see what happened before sending it again.");
        }
        throw err;
      }
    },
    { behavior: "immediate" },
  );
}

/** The call to Pay-Connect with the pairing's credentials: what it created (a transaction) or started (an operation). */
async function sendToProvider(db: QueryContext["db"], deps: OperationDeps, req: OperationRequest, target: Target, via: Via, clientTransactionId: string | null) {
  const provider = deps.provider(target.environment);
  const creds = await deps.credentials(db, via);
  const tid = target.transaction?.providerTransactionId ?? "";
  let created: { transactionId: string } | null = null;
  let started: { operationId: string } | null = null;
  // A refusal of the credentials themselves marks the pairing (lib/pairing/credentials-state.ts).
  await watchCredentials(db, via.id, async () => {
    switch (req.kind) {
      case "charge":
        created = await provider.charge(creds, { amount: req.amount, clientTransactionId: clientTransactionId!, ...(req.paymentMethod ? { paymentMethod: req.paymentMethod } : {}) });
        break;
      case "preauth":
        created = await provider.preauth(creds, { amount: req.amount, clientTransactionId: clientTransactionId! });
        break;
      case "independent_refund":
        created = await provider.independentRefund(creds, { amount: req.amount, clientTransactionId: clientTransactionId! });
        break;
      case "refund":
        created = await provider.refund(creds, tid, { amount: req.amount });
        break;
      case "cancel":
        await provider.cancel(creds, tid);
        break;
      case "revert":
        started = await provider.revert(creds, tid);
        break;
      case "preauth_complete":
        started = await provider.preauthComplete(creds, tid, { amount: req.amount });
        break;
      case "preauth_increment":
        started = await provider.preauthIncrement(creds, tid, { amount: req.amount });
        break;
    }
  });
  return { created: created as { transactionId: string } | null, started: started as { operationId: string } | null };
}

/** Pay-Connect accepted it: a created transaction is applied, the operation marked sent or done, and audited, in one write. */
async function recordSent(
  db: QueryContext["db"],
  user: Operator,
  req: OperationRequest,
  target: Target,
  sent: {
    operationId: number;
    via: Via;
    amount: number | null;
    clientTransactionId: string | null;
    at: number;
    created: { transactionId: string } | null;
    started: { operationId: string } | null;
  },
): Promise<number | null> {
  const { operationId, via, amount, clientTransactionId, at, created, started } = sent;
  return db.transaction(
    async (tx) => {
      let ref = target.transaction?.id ?? null;
      if (created) {
        const kind = req.kind === "refund" ? "refund" : (req.kind as CreateKind);
        ref = (await applyTransactionEvent(tx, {
            observation: {
                transactionId: created.transactionId,
                status: "INITIATED",
                amount: amount!,
                tipAmount: null,
                totalAmount: null,
                refundTotalAmount: null,
                currency: target.currency,
                paymentMethod: "paymentMethod" in req ? (req.paymentMethod ?? null) : null,
                paymentOption: null,
                clientTransactionId,
                linkedTransactionId: target.transaction?.providerTransactionId ?? null,
                terminalId: target.terminalId,
                tags: [],
                createdAt: null,
                completedAt: null,
                canceledAt: null,
                revertedAt: null,
                details: {},
            },
            via: { pairingId: via.id, merchantId: target.merchantId, terminalRef: target.terminalRef, environment: target.environment },
            from: { source: "operation", operationId },
            at,
            create: { kind, registerRef: target.registerRef, createdById: user.id, linkedTransactionRef: target.transaction?.id ?? null },
        })).transactionRef;
      }
      await tx.update(transactionOperations)
        .set({
          status: created ? "succeeded" : "sent",
          resultTransactionRef: created ? ref : null,
          providerOperationId: started?.operationId ?? null,
          providerStatus: started ? "INITIATED" : null,
          nextPollAt: started ? new Date(at + 1_000) : null,
          finishedAt: created ? new Date(at) : null,
        })
        .where(eq(transactionOperations.id, operationId));
      // A cancel's effect arrives by webhook or poll: ask soon.
      if (req.kind === "cancel" && target.transaction) {
        await tx.update(transactions).set({ nextPollAt: new Date(at + 1_000) }).where(eq(transactions.id, target.transaction.id));
      }
      await writeAudit(tx, {
        actor: { id: user.id, email: user.email },
        merchantId: target.merchantId,
        action: `transaction.${req.kind}` as AuditAction,
        targetType: "transaction",
        targetId: ref,
        details: { operation: operationId, terminal: target.terminalId, environment: target.environment, amount, currency: target.currency },
      });
      return ref;
    },
    { behavior: "immediate" },
  );
}

/** Pay-Connect refused it, or its answer was lost: the operation says which, and the audit log too. */
async function recordFailure(
  db: QueryContext["db"],
  user: Operator,
  req: OperationRequest,
  target: Target,
  { operationId, amount, unknown, code, reason, at }: { operationId: number; amount: number | null; unknown: boolean; code: string; reason: string; at: number },
): Promise<void> {
  await db.transaction(
    async (tx) => {
      await tx.update(transactionOperations)
        .set({ status: unknown ? "outcome_unknown" : "failed", errorCode: code, reason, finishedAt: new Date(at) })
        .where(eq(transactionOperations.id, operationId));
      await writeAudit(tx, {
        actor: { id: user.id, email: user.email },
        merchantId: target.merchantId,
        action: "transaction.operation_failed",
        targetType: target.transaction ? "transaction" : "terminal",
        targetId: target.transaction?.id ?? target.terminalRef,
        details: { operation: operationId, kind: req.kind, outcome: unknown ? "unknown" : "failed", code, amount },
      });
    },
    { behavior: "immediate" },
  );
}

/**
 * At start no operation is being sent, so one still `pending` from before was cut off (a crash
 * between its record and the provider's answer): its outcome is unknown, and its record says so.
 */
export async function settleOperationsAfterStop(db: DB, startedAt = new Date(), createdBefore = startedAt): Promise<number> {
  return changedRows(await db.transaction((tx) => tx
    .update(transactionOperations)
    .set({
      status: "outcome_unknown",
      errorCode: "interrupted",
      reason: "Pairdesk stopped while sending it, so whether Pay-Connect received it is unknown: the transaction's status will show whether it took effect.",
      finishedAt: startedAt,
    })
    .where(and(eq(transactionOperations.status, "pending"), lt(transactionOperations.createdAt, createdBefore)))));
}

scopedCommands(runOperation);
