/**
 * The rules the database holds (migration 0003: constraints, unique indexes and triggers for
 * pairings, locations, registers and routes; 0004: a transaction's status only moves forward),
 * and the message a user reads when one refuses a change. The database is the judge: these
 * functions only translate its refusal, so a check forgotten by a page or raced by another
 * writer still cannot break a rule.
 */

import { raisedRule, violationOf } from "../db/errors";
import { DomainError } from "../errors";

export type RuleCode =
  | "pairing_status"
  | "one_active_pairing"
  | "unpair_routed"
  | "terminal_merchant_routed"
  | "location_merchant_fixed"
  | "location_has_registers"
  | "location_name_taken"
  | "register_location"
  | "register_parent"
  | "register_fixed"
  | "register_archived"
  | "register_has_virtual"
  | "register_name_taken"
  | "register_external_ref_taken"
  | "route_unpaired"
  | "route_other_merchant"
  | "transaction_status_backwards";

export const RULE_MESSAGES: Record<RuleCode, string> = {
  pairing_status: "A pairing is active, replaced or unpaired: nothing else.",
  one_active_pairing:
    "This terminal already has an active pairing in that environment: Pay-Connect keeps one pairing per terminal, so pair it again to replace it.",
  unpair_routed: "Registers still route to this terminal: unroute them before its pairing ends.",
  terminal_merchant_routed:
    "Registers of another merchant still route to this terminal: unroute them before it changes merchant.",
  location_merchant_fixed: "A location stays with its merchant.",
  location_has_registers:
    "This location still has registers: archive its registers first (virtual registers before their physical register), then the location.",
  location_name_taken: "This merchant already has a location with that name.",
  register_location: "That location does not exist, is archived, or belongs to another merchant.",
  register_parent:
    "A virtual register's parent must be a physical register of the same location that is not archived.",
  register_fixed:
    "A register keeps its register ID, location, kind and parent: archive it and create a new one instead.",
  register_archived: "This register is archived: it cannot be routed, and archiving cannot be undone.",
  register_has_virtual:
    "This register still has virtual registers: archive them first, then the physical register.",
  register_name_taken: "This location already has a register with that name.",
  register_external_ref_taken: "Another register of this merchant already has that external reference.",
  route_unpaired:
    "That terminal has no active pairing: a register can only route to a paired terminal. Pair it (again) first.",
  route_other_merchant: "That terminal belongs to another merchant: a register only routes to its own merchant's terminals.",
  transaction_status_backwards:
    "A transaction's status only moves forward: a final status stays (a successful payment can only be reverted), and a payment under way does not go back to initiated.",
};

/** The unique indexes, by the column list SQLite names in its message. */
const UNIQUE_RULES: [string, RuleCode][] = [
  ["pairings.terminal_ref", "one_active_pairing"],
  ["locations.merchant_id, locations.name", "location_name_taken"],
  ["registers.location_id, registers.name", "register_name_taken"],
  ["registers.merchant_id, registers.external_ref", "register_external_ref_taken"],
];

/** Which form field a rule's refusal belongs to, when it is about one. */
const RULE_FIELDS: Partial<Record<RuleCode, string>> = {
  location_name_taken: "name",
  register_name_taken: "name",
  register_external_ref_taken: "externalRef",
  register_parent: "parentId",
  route_unpaired: "terminalRef",
  route_other_merchant: "terminalRef",
};

/** A rule's refusal: a DomainError with the rule's code, its sentence (or a more precise one) and its field. */
export function ruleViolation(code: RuleCode, message: string = RULE_MESSAGES[code]): DomainError {
  return new DomainError(code, message, { field: RULE_FIELDS[code] });
}

function isRuleCode(code: string): code is RuleCode {
  return Object.hasOwn(RULE_MESSAGES, code);
}

/** The rule a database error is about, or null when it is not a rule's refusal. */
export function ruleOf(err: unknown): RuleCode | null {
  if (err instanceof DomainError) return isRuleCode(err.code) ? err.code : null;
  const raised = raisedRule(err);
  if (raised && isRuleCode(raised)) return raised;
  const violation = violationOf(err);
  if (violation?.kind === "unique") {
    const columns = violation.columns.map((c) => `${violation.table}.${c}`).join(", ");
    return UNIQUE_RULES.find(([c]) => c === columns)?.[1] ?? null;
  }
  if (violation?.kind === "check") {
    if (violation.constraint === "registers_parent_check") return "register_parent";
    if (violation.constraint === "registers_archived_unrouted_check") return "register_archived";
  }
  return null;
}

/** Runs `write`; a rule's refusal becomes its DomainError (ruleViolation), anything else is rethrown. */
export async function underRules<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const code = ruleOf(err);
    if (code) throw ruleViolation(code);
    throw err;
  }
}
