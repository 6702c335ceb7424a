/**
 * The database schema, one file per domain, written once for both engines (./kit.ts). Every table
 * is exported from here, so that `from "@/lib/db/schema"` names any of them, as the engine this
 * process runs on builds it.
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

import { ENGINE } from "../engine";
import { postgresSchema } from "./postgres";
import { sqliteSchema } from "./sqlite";
import { sqliteKit } from "./kit";
import { postgresKit } from "./postgres-kit";

/** The chosen engine's kit: its `now` and `caseless` for queries (lib/db/query.ts). */
export const kit = ENGINE === "postgres" ? postgresKit : sqliteKit;

/** The chosen engine's tables (lib/db/engine.ts), typed as SQLite's: the queries are written once. */
const schema = ENGINE === "postgres" ? postgresSchema : sqliteSchema;

export const {
  merchants,
  users,
  signInFailures,
  sessions,
  terminals,
  pairingAttempts,
  pairings,
  pairingSecrets,
  locations,
  registers,
  transactions,
  transactionEvents,
  transactionOperations,
  webhookDeliveries,
  auditLog,
  workers,
} = schema;
