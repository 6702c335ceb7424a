// The tables built with Postgres's kit: what drizzle-kit reads for drizzle/postgres/ (drizzle.postgres.config.ts).
import { buildSchema } from "./build";
import { postgresKit } from "./postgres-kit";

export const postgresSchema = buildSchema(postgresKit);
/** @public drizzle-kit reads the tables from this file's exports. */
export const { merchants, users, signInFailures, sessions, terminals, pairingAttempts, pairings, pairingSecrets, locations, registers, transactions, transactionEvents, transactionOperations, webhookDeliveries, auditLog, workers } = postgresSchema;
