-- The rules the columns cannot say, as SQLite's triggers hold them (drizzle/0003_registers.sql,
-- drizzle/0004_transactions.sql): each refusal raises "pairdesk_rule:<code>", the same codes, so
-- lib/registers/rules.ts gives the user the same sentence on either engine. Postgres cannot put a
-- subquery in a trigger's WHEN, so each check is a function.
--
-- Every write transaction of Pairdesk runs SERIALIZABLE (lib/db/postgres.ts): a check here that
-- reads another row (an active pairing, a parent register) cannot be raced by another instance's
-- commit. So that a raw statement from psql gets the same protection, the database's default is
-- serializable too, when the migrating user may set it (the database's owner).
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET default_transaction_isolation TO %L', current_database(), 'serializable');
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'pairdesk: not the database owner, default_transaction_isolation left as it is';
END $$;
--> statement-breakpoint
CREATE FUNCTION pairdesk_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'pairdesk_rule:%', TG_ARGV[0] USING ERRCODE = 'check_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER pairings_status_check_insert BEFORE INSERT ON pairings
  FOR EACH ROW WHEN (NEW.status NOT IN ('active', 'replaced', 'unpaired'))
  EXECUTE FUNCTION pairdesk_refuse('pairing_status');
--> statement-breakpoint
CREATE TRIGGER pairings_status_check_update BEFORE UPDATE OF status ON pairings
  FOR EACH ROW WHEN (NEW.status NOT IN ('active', 'replaced', 'unpaired'))
  EXECUTE FUNCTION pairdesk_refuse('pairing_status');
--> statement-breakpoint
-- Unpairing a terminal that registers route to: the registers are unrouted first (in the same
-- transaction, by lib/pairing/unpair.ts), never left pointing at a dead pairing.
CREATE FUNCTION pairdesk_pairings_unpair_routed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM registers r WHERE r.terminal_ref = NEW.terminal_ref) THEN
    RAISE EXCEPTION 'pairdesk_rule:unpair_routed' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER pairings_unpair_routed BEFORE UPDATE OF status ON pairings
  FOR EACH ROW WHEN (OLD.status = 'active' AND NEW.status = 'unpaired')
  EXECUTE FUNCTION pairdesk_pairings_unpair_routed();
--> statement-breakpoint
-- A terminal paired into another merchant: the first merchant's registers are unrouted first.
CREATE FUNCTION pairdesk_terminals_merchant_routed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM registers r WHERE r.terminal_ref = NEW.id AND r.merchant_id <> NEW.merchant_id) THEN
    RAISE EXCEPTION 'pairdesk_rule:terminal_merchant_routed' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER terminals_merchant_routed BEFORE UPDATE OF merchant_id ON terminals
  FOR EACH ROW WHEN (NEW.merchant_id <> OLD.merchant_id)
  EXECUTE FUNCTION pairdesk_terminals_merchant_routed();
--> statement-breakpoint
CREATE TRIGGER locations_merchant_fixed BEFORE UPDATE OF merchant_id ON locations
  FOR EACH ROW WHEN (NEW.merchant_id <> OLD.merchant_id)
  EXECUTE FUNCTION pairdesk_refuse('location_merchant_fixed');
--> statement-breakpoint
CREATE FUNCTION pairdesk_locations_archive_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM registers r WHERE r.location_id = NEW.id AND r.archived_at IS NULL) THEN
    RAISE EXCEPTION 'pairdesk_rule:location_has_registers' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER locations_archive_check BEFORE UPDATE OF archived_at ON locations
  FOR EACH ROW WHEN (NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL)
  EXECUTE FUNCTION pairdesk_locations_archive_check();
--> statement-breakpoint
CREATE FUNCTION pairdesk_registers_insert_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM locations l WHERE l.id = NEW.location_id
      AND l.merchant_id = NEW.merchant_id AND l.archived_at IS NULL) THEN
    RAISE EXCEPTION 'pairdesk_rule:register_location' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.kind = 'virtual' AND NOT EXISTS (SELECT 1 FROM registers p WHERE p.id = NEW.parent_id
      AND p.kind = 'physical' AND p.location_id = NEW.location_id AND p.archived_at IS NULL) THEN
    RAISE EXCEPTION 'pairdesk_rule:register_parent' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.terminal_ref IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pairings p
      WHERE p.terminal_ref = NEW.terminal_ref AND p.status = 'active') THEN
    RAISE EXCEPTION 'pairdesk_rule:route_unpaired' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.terminal_ref IS NOT NULL AND NOT EXISTS (SELECT 1 FROM terminals t
      WHERE t.id = NEW.terminal_ref AND t.merchant_id = NEW.merchant_id) THEN
    RAISE EXCEPTION 'pairdesk_rule:route_other_merchant' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER registers_insert_check BEFORE INSERT ON registers
  FOR EACH ROW EXECUTE FUNCTION pairdesk_registers_insert_check();
--> statement-breakpoint
CREATE TRIGGER registers_fixed_columns BEFORE UPDATE OF merchant_id, location_id, kind, parent_id, register_id ON registers
  FOR EACH ROW WHEN (NEW.merchant_id <> OLD.merchant_id OR NEW.location_id <> OLD.location_id OR NEW.kind <> OLD.kind
    OR NEW.parent_id IS DISTINCT FROM OLD.parent_id OR NEW.register_id <> OLD.register_id)
  EXECUTE FUNCTION pairdesk_refuse('register_fixed');
--> statement-breakpoint
CREATE FUNCTION pairdesk_registers_route_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.archived_at IS NOT NULL THEN
    RAISE EXCEPTION 'pairdesk_rule:register_archived' USING ERRCODE = 'check_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pairings p WHERE p.terminal_ref = NEW.terminal_ref AND p.status = 'active') THEN
    RAISE EXCEPTION 'pairdesk_rule:route_unpaired' USING ERRCODE = 'check_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM terminals t WHERE t.id = NEW.terminal_ref AND t.merchant_id = NEW.merchant_id) THEN
    RAISE EXCEPTION 'pairdesk_rule:route_other_merchant' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER registers_route_check BEFORE UPDATE OF terminal_ref ON registers
  FOR EACH ROW WHEN (NEW.terminal_ref IS NOT NULL)
  EXECUTE FUNCTION pairdesk_registers_route_check();
--> statement-breakpoint
CREATE FUNCTION pairdesk_registers_archive_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM registers c WHERE c.parent_id = NEW.id AND c.archived_at IS NULL) THEN
    RAISE EXCEPTION 'pairdesk_rule:register_has_virtual' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER registers_archive_check BEFORE UPDATE OF archived_at ON registers
  FOR EACH ROW WHEN (NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL)
  EXECUTE FUNCTION pairdesk_registers_archive_check();
--> statement-breakpoint
CREATE TRIGGER registers_unarchive_check BEFORE UPDATE OF archived_at ON registers
  FOR EACH ROW WHEN (NEW.archived_at IS NULL AND OLD.archived_at IS NOT NULL)
  EXECUTE FUNCTION pairdesk_refuse('register_archived');
--> statement-breakpoint
-- A final status never goes back; the one move out of a final status is SUCCESS → REVERTED, and an
-- open status only moves forward (lib/transactions/status.ts applies the same rule first).
CREATE TRIGGER transactions_status_forward BEFORE UPDATE OF status ON transactions
  FOR EACH ROW WHEN (OLD.status <> NEW.status AND (
    (OLD.status IN ('SUCCESS', 'CANCELED', 'DECLINED', 'REVERTED', 'EXPIRED', 'FAILED')
      AND NOT (OLD.status = 'SUCCESS' AND NEW.status = 'REVERTED'))
    OR (OLD.status = 'IN_PROGRESS' AND NEW.status = 'INITIATED')))
  EXECUTE FUNCTION pairdesk_refuse('transaction_status_backwards');
