/**
 * The URL parameters of every list, declared once (see kit.ts). Pages, queries and the CSV
 * route handlers all read the URL through these.
 */
import { createLoader, parseAsStringLiteral, type inferParserType } from "nuqs/server";
import { AUDIT_ACTIONS } from "../audit/audit";
import { ATTEMPT_STATUSES, DELIVERY_VERDICTS, ENVIRONMENTS, MERCHANT_STATUSES, ROLES, TRANSACTION_STATUSES } from "../domain";
import { createParser } from "nuqs/server";
import { defineList, parseAsId, parseAsMerchant, parseAsSearch } from "./kit";

/** The merchant switcher's choice alone, for pages that are not lists (the dashboard). */
export const loadMerchantView = createLoader({ merchant: parseAsMerchant });

const LIST_PAGE_SIZE = 50;

export const terminalList = defineList({
  pathname: "/terminals",
  filters: {
    /** Terminal id or any of its pairings' names. */
    q: parseAsSearch(100),
    environment: parseAsStringLiteral(["all", ...ENVIRONMENTS] as const).withDefault("all"),
    status: parseAsStringLiteral(["all", "paired", "unpaired", "credentials_refused"] as const).withDefault("all"),
  },
  filterLabels: { q: "Search", environment: "Environment", status: "Status" },
  sortColumns: { terminal_id: "asc", environment: "asc", paired_at: "desc" },
  defaultSort: "terminal_id",
  pageSize: LIST_PAGE_SIZE,
});
export type TerminalListParams = inferParserType<typeof terminalList.parsers>;

export const attemptList = defineList({
  pathname: "/attempts",
  filters: {
    /** Pairing name, terminal id or the email of who tried. */
    q: parseAsSearch(100),
    status: parseAsStringLiteral(["all", ...ATTEMPT_STATUSES] as const).withDefault("all"),
    environment: parseAsStringLiteral(["all", ...ENVIRONMENTS] as const).withDefault("all"),
  },
  filterLabels: { q: "Search", status: "Outcome", environment: "Environment" },
  sortColumns: { created_at: "desc", status: "asc" },
  defaultSort: "-created_at",
  pageSize: LIST_PAGE_SIZE,
});
export type AttemptListParams = inferParserType<typeof attemptList.parsers>;

export const auditList = defineList({
  pathname: "/audit",
  filters: {
    action: parseAsStringLiteral(["all", ...AUDIT_ACTIONS] as const).withDefault("all"),
    /** Part of the actor's email, case-insensitive. */
    actor: parseAsSearch(254),
  },
  filterLabels: { action: "Action", actor: "Actor" },
  sortColumns: { at: "desc", action: "asc" },
  defaultSort: "-at",
  pageSize: LIST_PAGE_SIZE,
});
export type AuditListParams = inferParserType<typeof auditList.parsers>;

/** 40 a page: at 100 the page sent over 500 KiB; lean rows and 40 keep it under 150 KiB (docs/performance.md). */
const REGISTER_PAGE_SIZE = 40;

/**
 * The registers tree: location → register → virtual registers, one flat page in tree order
 * (location, physical register, its virtual registers), so that 10,000 registers page like any
 * list. Sorting is the tree's own order.
 */
export const registerList = defineList({
  pathname: "/registers",
  filters: {
    /** Register name, register ID, external reference, or the terminal id it routes to. */
    q: parseAsSearch(100),
    /** A location's id. */
    location: parseAsId,
    environment: parseAsStringLiteral(["all", ...ENVIRONMENTS] as const).withDefault("all"),
    route: parseAsStringLiteral(["all", "routed", "unrouted"] as const).withDefault("all"),
  },
  filterLabels: { q: "Search", location: "Location", environment: "Environment", route: "Route" },
  sortColumns: { location: "asc" },
  defaultSort: "location",
  pageSize: REGISTER_PAGE_SIZE,
});
export type RegisterListParams = inferParserType<typeof registerList.parsers>;

export const locationList = defineList({
  pathname: "/locations",
  filters: {
    q: parseAsSearch(100),
    archived: parseAsStringLiteral(["no", "yes"] as const).withDefault("no"),
  },
  filterLabels: { q: "Search", archived: "Archived" },
  sortColumns: { name: "asc" },
  defaultSort: "name",
  pageSize: LIST_PAGE_SIZE,
});
export type LocationListParams = inferParserType<typeof locationList.parsers>;

/**
 * The people who can sign in: staff first, then each merchant's people by merchant (a merchant
 * admin sees their own merchant's alone), by email within.
 */
export const userList = defineList({
  pathname: "/users",
  filters: {
    /** Part of the email or the name. */
    q: parseAsSearch(254),
    role: parseAsStringLiteral(["all", ...ROLES] as const).withDefault("all"),
    status: parseAsStringLiteral(["all", "active", "disabled"] as const).withDefault("all"),
  },
  filterLabels: { q: "Search", role: "Role", status: "Status" },
  sortColumns: { merchant: "asc", email: "asc", added: "desc" },
  defaultSort: "merchant",
  pageSize: LIST_PAGE_SIZE,
});
export type UserListParams = inferParserType<typeof userList.parsers>;

/** The integrator's merchants, by name (staff admins only; the switcher's choice does not narrow it). */
export const merchantList = defineList({
  pathname: "/merchants",
  filters: {
    /** Part of the name or of the external reference. */
    q: parseAsSearch(100),
    status: parseAsStringLiteral(["all", ...MERCHANT_STATUSES] as const).withDefault("all"),
  },
  filterLabels: { q: "Search", status: "Status" },
  sortColumns: { name: "asc", added: "desc" },
  defaultSort: "name",
  pageSize: LIST_PAGE_SIZE,
});
export type MerchantListParams = inferParserType<typeof merchantList.parsers>;

/** A calendar day (`2026-11-22`), UTC; anything else reads as none. */
const parseAsDay = createParser<string>({
  parse: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) && Number.isFinite(Date.parse(`${v}T00:00:00Z`)) ? v : null),
  serialize: (v) => v,
}).withDefault("");

/**
 * Transactions: keyset pages (a cursor in `after`/`before`), not numbered pages, so a deep page
 * costs what the first one does; the cursor is the sorted time (created or last update) and the id.
 */
export const transactionList = defineList({
  pathname: "/transactions",
  filters: {
    /**
     * The provider's transaction id (whole or its start), the client transaction id, an amount
     * ("12.50"), a terminal id, pairing name or Pay-Connect id, or a register name.
     */
    q: parseAsSearch(200),
    status: parseAsStringLiteral(["all", "open", ...TRANSACTION_STATUSES] as const).withDefault("all"),
    /** Charge, preauthorisation, or refund (a refund of a charge or an independent one). */
    kind: parseAsStringLiteral(["all", "charge", "preauth", "refund"] as const).withDefault("all"),
    environment: parseAsStringLiteral(["all", ...ENVIRONMENTS] as const).withDefault("all"),
    terminal: parseAsId,
    register: parseAsId,
    /** Created on or after this day, and on or before this day (UTC). */
    from: parseAsDay,
    to: parseAsDay,
  },
  filterLabels: { q: "Search", status: "Status", kind: "Kind", environment: "Environment", terminal: "Terminal", register: "Register", from: "From", to: "To" },
  sortColumns: { created: "desc", updated: "desc" },
  defaultSort: "-created",
  // 25 rows: a transaction row is the heaviest the app draws (three links, two badges, two
  // times), and this list is watched and reloaded all day; see docs/performance.md.
  pageSize: 25,
  keyset: { at: (row: { createdAt: Date; statusChangedAt: Date }, column) => (column === "updated" ? row.statusChangedAt : row.createdAt) },
});
export type TransactionListParams = inferParserType<typeof transactionList.parsers>;

/**
 * How many transactions one page of the list may look through for what no index serves (the
 * environment, the kind, an amount in the search): a page stays as fast at a million rows as on
 * an empty database, and says how far back it looked. See docs/performance.md.
 */
export const TRANSACTION_SCAN_WINDOW = 5_000;
/** A list's count stops here: past it the page says "more than 10,000". */
export const LIST_COUNT_CAP = 10_000;

/**
 * Webhook deliveries: keyset pages like transactions (a delivery is stored for every request, so
 * the table grows with them); the cursor is the time received and the id. A numbered page of an
 * older bookmark (`?page=3`) still opens that page, and the cursors go on from it.
 */
export const deliveryList = defineList({
  pathname: "/webhooks",
  filters: {
    /** A transaction id (the provider's, whole or its start) that the delivery reported. */
    q: parseAsSearch(200),
    verdict: parseAsStringLiteral(["all", "rejected", ...DELIVERY_VERDICTS] as const).withDefault("all"),
    /** A pairing's id. */
    pairing: parseAsId,
    /** A terminal's id (any of its pairings). */
    terminal: parseAsId,
    /** A transaction's id (ours): the deliveries that reported it. */
    transaction: parseAsId,
  },
  filterLabels: { q: "Search", verdict: "Verdict", pairing: "Pairing", terminal: "Terminal", transaction: "Transaction" },
  sortColumns: { received: "desc" },
  defaultSort: "-received",
  pageSize: 50,
  keyset: { at: (row: { receivedAt: Date }) => row.receivedAt },
});
export type DeliveryListParams = inferParserType<typeof deliveryList.parsers>;
