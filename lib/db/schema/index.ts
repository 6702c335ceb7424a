/**
 * The database schema, one file per domain. Every table is exported from here, so that
 * `from "@/lib/db/schema"` names any of them; drizzle-kit reads this file (drizzle.config.ts).
 */
// The plain constants live in lib/domain (importable by client components); re-exported here.
export {
  ATTEMPT_STATUSES,
  DELIVERY_VERDICTS,
  EVENT_EFFECTS,
  EVENT_SOURCES,
  OPERATION_KINDS,
  OPERATION_STATUSES,
  TRANSACTION_KINDS,
  TRANSACTION_STATUSES,
  type DeliveryVerdict,
  type EventEffect,
  type EventSource,
  type OperationKind,
  type OperationStatus,
  type TransactionKind,
  type TransactionStatus,
  ENVIRONMENTS,
  MERCHANT_ROLES,
  MERCHANT_STATUSES,
  PAIRING_STATUSES,
  REGISTER_KINDS,
  ROLES,
  SECRET_FIELDS,
  STAFF_ROLES,
  type AttemptStatus,
  type Environment,
  type MerchantRole,
  type MerchantStatus,
  type PairingStatus,
  type RegisterKind,
  type Role,
  type StaffRole,
  type SecretField,
} from "../../domain";

export * from "./merchants";
export * from "./users";
export * from "./auth";
export * from "./pairing";
export * from "./registers";
export * from "./transactions";
export * from "./webhooks";
export * from "./audit";
export * from "./poller";
