// The tables built with SQLite's kit: what drizzle-kit reads for drizzle/ (drizzle.config.ts).
import { buildSchema } from "./build";
import { sqliteKit } from "./kit";

export const sqliteSchema = buildSchema(sqliteKit);
/** @public drizzle-kit reads the tables from this file's exports. */
export const { merchants, users, signInFailures, sessions, terminals, pairingAttempts, pairings, pairingSecrets, locations, registers, transactions, transactionEvents, transactionOperations, webhookDeliveries, auditLog, workers } = sqliteSchema;
