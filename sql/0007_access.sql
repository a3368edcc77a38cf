-- Access: organization workflow, viewer role, disabled accounts, partner API keys, the audit
-- log (append-only), the outbox of change events, a shared login throttle, and idempotency keys
-- that commit with their write.

-- Organizations: rejected, the reason of the last reject/suspend, and when they were verified
-- (identity fields are the bureau's from then on).
ALTER TABLE enterprises DROP CONSTRAINT enterprises_status_check;
ALTER TABLE enterprises ADD CONSTRAINT enterprises_status_check
    CHECK (status IN ('pending', 'active', 'suspended', 'rejected'));
ALTER TABLE enterprises ADD COLUMN status_reason text CHECK (char_length(status_reason) <= 500),
                        ADD COLUMN verified_at timestamptz;
ALTER TABLE colleges DROP CONSTRAINT colleges_status_check;
ALTER TABLE colleges ADD CONSTRAINT colleges_status_check
    CHECK (status IN ('pending', 'active', 'suspended', 'rejected'));
ALTER TABLE colleges ADD COLUMN status_reason text CHECK (char_length(status_reason) <= 500),
                     ADD COLUMN verified_at timestamptz;
UPDATE enterprises SET verified_at = created_at WHERE status IN ('active', 'suspended');
UPDATE colleges SET verified_at = created_at WHERE status IN ('active', 'suspended');

-- Whether the owning organization is active: only then are a program or a demand public, in
-- recommendations and in match runs. Kept by triggers, so no read joins the owner.
ALTER TABLE programs ADD COLUMN owner_active boolean NOT NULL DEFAULT true;
ALTER TABLE demands ADD COLUMN owner_active boolean NOT NULL DEFAULT true;
UPDATE programs p SET owner_active = (c.status = 'active') FROM colleges c WHERE c.id = p.college_id;
UPDATE demands d SET owner_active = (e.status = 'active') FROM enterprises e WHERE e.id = d.enterprise_id;

CREATE FUNCTION set_owner_active() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- FOR SHARE: waits for a status change in flight and reads its outcome; a status change
    -- waits for this insert, then propagates to it.
    IF TG_TABLE_NAME = 'programs' THEN
        NEW.owner_active := coalesce((SELECT status = 'active' FROM colleges WHERE id = NEW.college_id FOR SHARE), false);
    ELSE
        NEW.owner_active := coalesce((SELECT status = 'active' FROM enterprises WHERE id = NEW.enterprise_id FOR SHARE), false);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER programs_owner_active BEFORE INSERT ON programs
    FOR EACH ROW EXECUTE FUNCTION set_owner_active();
CREATE TRIGGER demands_owner_active BEFORE INSERT ON demands
    FOR EACH ROW EXECUTE FUNCTION set_owner_active();

CREATE FUNCTION propagate_owner_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'colleges' THEN
        UPDATE programs SET owner_active = (NEW.status = 'active')
        WHERE college_id = NEW.id AND owner_active <> (NEW.status = 'active');
    ELSE
        UPDATE demands SET owner_active = (NEW.status = 'active')
        WHERE enterprise_id = NEW.id AND owner_active <> (NEW.status = 'active');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER colleges_owner_status AFTER UPDATE OF status ON colleges
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION propagate_owner_status();
CREATE TRIGGER enterprises_owner_status AFTER UPDATE OF status ON enterprises
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION propagate_owner_status();

CREATE OR REPLACE FUNCTION enterprise_doc(e enterprises, detailed boolean) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN detailed THEN json_build_object(
        'id', e.id, 'name', e.name, 'uscc', e.uscc, 'uscc_override', e.uscc_override,
        'region_code', e.region_code, 'industry_code', e.industry_code, 'size', e.size,
        'address', e.address, 'contact', e.contact, 'status', e.status,
        'status_reason', e.status_reason, 'verified_at', utc_iso(e.verified_at),
        'archived', e.archived_at IS NOT NULL, 'version', e.version,
        'created_at', utc_iso(e.created_at), 'updated_at', utc_iso(e.updated_at))
    ELSE json_build_object(
        'id', e.id, 'name', e.name, 'uscc', e.uscc, 'region_code', e.region_code,
        'industry_code', e.industry_code, 'size', e.size, 'status', e.status)
    END
$$;

CREATE OR REPLACE FUNCTION college_doc(c colleges, detailed boolean) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN detailed THEN json_build_object(
        'id', c.id, 'name', c.name, 'school_code', c.school_code, 'kind', c.kind,
        'region_code', c.region_code, 'address', c.address, 'contact', c.contact,
        'status', c.status, 'status_reason', c.status_reason, 'verified_at', utc_iso(c.verified_at),
        'archived', c.archived_at IS NOT NULL, 'version', c.version,
        'created_at', utc_iso(c.created_at), 'updated_at', utc_iso(c.updated_at))
    ELSE json_build_object(
        'id', c.id, 'name', c.name, 'kind', c.kind, 'region_code', c.region_code, 'status', c.status)
    END
$$;

-- Accounts: the viewer role (other city offices: read what the bureau reads), disabling, and
-- the time of the last sign-in.
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check
    CHECK (role IN ('enterprise', 'college', 'county', 'bureau', 'viewer', 'partner'));
ALTER TABLE accounts ADD COLUMN disabled_at timestamptz,
                     ADD COLUMN last_login_at timestamptz;

CREATE FUNCTION account_doc(a accounts) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object('id', a.id, 'username', a.username, 'role', a.role,
        'organization_id', coalesce(a.enterprise_id, a.college_id), 'region_code', a.region_code,
        'source', a.source, 'disabled', a.disabled_at IS NOT NULL, 'created_at', utc_iso(a.created_at),
        'last_login_at', utc_iso(a.last_login_at))
$$;

-- Partner API keys, stored as SHA-256 hashes (the key itself is shown once).
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    key_hash     bytea NOT NULL UNIQUE,
    key_prefix   text NOT NULL,
    scopes       text[] NOT NULL CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['feed:read',
                     'talents:write', 'programs:write', 'webhooks:manage', 'exports:read']),
    source       text CHECK (source ~ '^[a-z0-9][a-z0-9_-]{1,63}$'),
    college_id   uuid REFERENCES colleges (id),
    created_by   uuid REFERENCES accounts (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CHECK (NOT ('talents:write' = ANY (scopes)) OR source IS NOT NULL),
    CHECK (NOT ('programs:write' = ANY (scopes)) OR college_id IS NOT NULL)
);

CREATE FUNCTION api_key_doc(k api_keys) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object('id', k.id, 'name', k.name, 'key_prefix', k.key_prefix, 'scopes', k.scopes,
        'source', k.source, 'organization_id', k.college_id, 'created_at', utc_iso(k.created_at),
        'last_used_at', utc_iso(k.last_used_at), 'revoked_at', utc_iso(k.revoked_at))
$$;

-- The audit log: who did what to which object, with the before/after of status, money and
-- identity fields. Append-only, enforced here: UPDATE, DELETE and TRUNCATE are refused.
ALTER TABLE audit_events
    ADD COLUMN username        text,
    ADD COLUMN role            text,
    ADD COLUMN credential_kind text NOT NULL DEFAULT 'anonymous'
        CHECK (credential_kind IN ('anonymous', 'session', 'api_key')),
    ADD COLUMN credential_id   uuid,
    ADD COLUMN request_id      text,
    ADD COLUMN before          jsonb,
    ADD COLUMN after           jsonb;
UPDATE audit_events SET after = detail WHERE detail <> '{}';
ALTER TABLE audit_events DROP COLUMN detail;
-- Earlier rows in today's vocabulary (the override was the creation of the enterprise).
UPDATE audit_events SET action = CASE action WHEN 'archive' THEN 'archived' WHEN 'verify' THEN 'verified'
    WHEN 'delete' THEN 'deleted' WHEN 'uscc_override' THEN 'created' ELSE action END;
UPDATE audit_events SET credential_kind = 'session' WHERE account_id IS NOT NULL;
CREATE INDEX audit_events_account ON audit_events (account_id, id);
CREATE INDEX audit_events_time ON audit_events (occurred_at);

CREATE FUNCTION refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

CREATE FUNCTION audit_event_doc(e audit_events) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object('id', e.id::text, 'occurred_at', utc_iso(e.occurred_at),
        'account_id', e.account_id, 'username', e.username, 'role', e.role,
        'credential', json_build_object('kind', e.credential_kind, 'id', e.credential_id),
        'action', e.action, 'object_type', e.object_type, 'object_id', e.object_id,
        'request_id', e.request_id, 'before', e.before, 'after', e.after)
$$;

-- The outbox: one row per changed record of the change feed's kinds, written in the same
-- transaction as the change. `id` is the feed's cursor; `xid` lets the feed hold back rows whose
-- transaction may still be open (the commit-visibility horizon). Talent rows never carry a
-- name or a phone. What the feed filters on is stored beside the event.
CREATE TABLE outbox_events (
    id              bigserial PRIMARY KEY,
    xid             xid8 NOT NULL DEFAULT pg_current_xact_id(),
    type            text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
    resource_type   text NOT NULL,
    resource_id     uuid NOT NULL,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    data            jsonb NOT NULL,
    organization_id uuid,
    region_code     text,
    source          text,
    is_public       boolean NOT NULL
);
CREATE INDEX outbox_events_resource ON outbox_events (resource_type, resource_id);

-- Failed sign-ins, shared by every instance: the throttle counts them per (username, address)
-- and per address over a sliding window.
CREATE TABLE login_failures (
    username  text NOT NULL,
    address   text NOT NULL,
    failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_pair ON login_failures (username, address, failed_at);
CREATE INDEX login_failures_address ON login_failures (address, failed_at);

-- Idempotency keys now commit with their write, so no row is ever left "in flight"; the stored
-- response names the record it created, so a talent's deletion can take its response with it.
DELETE FROM idempotency_keys WHERE status IS NULL;
ALTER TABLE idempotency_keys ADD COLUMN resource_type text, ADD COLUMN resource_id uuid;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_resource ON idempotency_keys (resource_type, resource_id);

CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Sessions get an id of their own, which the audit log names (never the token or its hash).
ALTER TABLE sessions ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE;
CREATE INDEX login_failures_time ON login_failures (failed_at);

-- Microseconds since the epoch: an exact, sortable cursor key for lists ordered by time.
CREATE FUNCTION utc_micros(t timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT (extract(epoch FROM t) * 1000000)::bigint
$$;
CREATE INDEX match_runs_created ON match_runs (created_at DESC, id DESC);
