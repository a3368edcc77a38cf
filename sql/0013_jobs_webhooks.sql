-- The one job queue: background work of every kind, shared by every instance. A worker claims a
-- due job with FOR UPDATE SKIP LOCKED and holds it by a lease it renews while it works; a job
-- whose lease ran out (its worker died) is due again. Finished jobs are deleted; what they did
-- is in their subject's own table (a match run, a webhook delivery).
CREATE TABLE jobs (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('match_run', 'webhook_delivery')),
    subject      uuid NOT NULL,
    run_at       timestamptz NOT NULL DEFAULT now(),
    attempts     integer NOT NULL DEFAULT 0,
    locked_by    text,
    locked_until timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, subject)
);
CREATE INDEX jobs_due ON jobs (kind, run_at);

-- Match runs move onto it: the runs still waiting (or running when this migration ran) become
-- jobs; the run's own heartbeat gives way to the job's lease.
INSERT INTO jobs (kind, subject, run_at)
    SELECT 'match_run', id, created_at FROM match_runs WHERE status IN ('queued', 'running');
UPDATE match_runs SET status = 'queued' WHERE status = 'running';
ALTER TABLE match_runs DROP COLUMN heartbeat_at;

-- Webhook subscriptions (Standard Webhooks). The owner is an API key (`webhooks:manage`) or a
-- bureau account; events reach it as the feed shows them to that owner. `cursor_*` is where
-- the fan-out stands in the feed; while disabled it stays put, so enabling resumes there.
-- The secret must be kept to sign (HMAC), so it is stored as given out; `previous_secret`
-- still signs for a day after a rotation, so receivers can switch without losing a delivery.
CREATE TABLE webhooks (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url                      text NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2000),
    events                   text[] NOT NULL CHECK (cardinality(events) >= 1),
    secret                   text NOT NULL,
    previous_secret          text,
    previous_secret_until    timestamptz,
    owner_account_id         uuid REFERENCES accounts (id),
    owner_api_key_id         uuid REFERENCES api_keys (id),
    status                   text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    disabled_reason          text,
    disabled_at              timestamptz,
    failing_since            timestamptz,
    cursor_xid               xid8 NOT NULL,
    cursor_id                bigint NOT NULL,
    created_at               timestamptz NOT NULL DEFAULT now(),
    CHECK ((owner_account_id IS NULL) <> (owner_api_key_id IS NULL))
);
CREATE INDEX webhooks_active ON webhooks (id) WHERE status = 'active';

-- One message per subscription and event; its attempts below. `body` is what is signed and
-- sent, fixed at fan-out so every attempt sends the same bytes.
CREATE TABLE webhook_deliveries (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    webhook_id         uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id           bigint NOT NULL,
    type               text NOT NULL,
    body               text NOT NULL,
    status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'paused')),
    attempts           integer NOT NULL DEFAULT 0,
    next_attempt_at    timestamptz,
    last_response_code integer,
    last_latency_ms    integer,
    last_error         text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_list ON webhook_deliveries (webhook_id, created_at DESC, id DESC);

CREATE TABLE webhook_attempts (
    id            bigserial PRIMARY KEY,
    delivery_id   uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at  timestamptz NOT NULL DEFAULT now(),
    response_code integer,
    latency_ms    integer NOT NULL,
    error         text,
    instance      text NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

CREATE FUNCTION webhook_doc(w webhooks) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object('id', w.id, 'url', w.url, 'events', w.events, 'status', w.status,
        'disabled_reason', w.disabled_reason, 'disabled_at', utc_iso(w.disabled_at),
        'failing_since', utc_iso(w.failing_since), 'owner_account_id', w.owner_account_id,
        'owner_api_key_id', w.owner_api_key_id, 'created_at', utc_iso(w.created_at))
$$;

CREATE FUNCTION webhook_delivery_doc(d webhook_deliveries) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object('id', d.id, 'webhook_id', d.webhook_id, 'message_id', 'msg_' || replace(d.id::text, '-', ''),
        'type', d.type, 'status', d.status, 'attempt_count', d.attempts,
        'next_attempt_at', utc_iso(d.next_attempt_at), 'response_code', d.last_response_code,
        'latency_ms', d.last_latency_ms, 'error', d.last_error, 'created_at', utc_iso(d.created_at),
        'finished_at', utc_iso(d.finished_at),
        'attempts', coalesce((SELECT json_agg(json_build_object('attempted_at', utc_iso(a.attempted_at),
                                 'response_code', a.response_code, 'latency_ms', a.latency_ms, 'error', a.error)
                                 ORDER BY a.id)
                              FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]'::json))
$$;
