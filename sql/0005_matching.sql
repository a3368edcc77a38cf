-- Matching: change notices for the in-memory recommendation index, and the bureau's match runs.

-- Every committed change to what matching reads is announced on channel `match_changes` as
-- `table:id` (or `table:*` for taxonomies). NOTIFY is delivered at commit, in commit order,
-- so the index never reloads a row before its change is visible.
CREATE FUNCTION notify_match_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME IN ('programs', 'demands', 'talents') THEN
        PERFORM pg_notify('match_changes', TG_TABLE_NAME || ':' || coalesce(NEW.id, OLD.id));
    ELSE
        PERFORM pg_notify('match_changes', TG_TABLE_NAME || ':*');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER programs_match_change AFTER INSERT OR UPDATE OR DELETE ON programs
    FOR EACH ROW EXECUTE FUNCTION notify_match_change();
CREATE TRIGGER demands_match_change AFTER INSERT OR UPDATE OR DELETE ON demands
    FOR EACH ROW EXECUTE FUNCTION notify_match_change();
CREATE TRIGGER talents_match_change AFTER INSERT OR UPDATE OR DELETE ON talents
    FOR EACH ROW EXECUTE FUNCTION notify_match_change();
CREATE TRIGGER skills_match_change AFTER INSERT OR UPDATE OR DELETE ON skills
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_change();
CREATE TRIGGER specialties_match_change AFTER INSERT OR UPDATE OR DELETE ON specialties
    FOR EACH STATEMENT EXECUTE FUNCTION notify_match_change();

-- A run of the city-wide allocation: a job in PostgreSQL, picked by workers with
-- FOR UPDATE SKIP LOCKED; a run left `running` with a stale heartbeat is taken up again.
CREATE TABLE match_runs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    region_code       text NOT NULL CHECK (region_code ~ '^[0-9]{0,6}$'),  -- '' = everywhere
    mode              text CHECK (mode IN ('order_class', 'apprenticeship', 'internship', 'employment', 'training_base')),
    occupation_prefix text CHECK (occupation_prefix ~ '^[0-9](-[0-9]{0,2}){0,3}$'),
    requested_by      uuid REFERENCES accounts (id),
    attempts          integer NOT NULL DEFAULT 0,
    objective         bigint,
    assigned          bigint,
    demand_total      bigint,
    capacity_total    bigint,
    programs          integer,
    demands           integer,
    arcs              integer,
    gaps              jsonb,
    error             text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    heartbeat_at      timestamptz,
    finished_at       timestamptz
);
CREATE INDEX match_runs_pending ON match_runs (created_at) WHERE status IN ('queued', 'running');

CREATE TABLE match_run_assignments (
    run_id     uuid NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
    program_id uuid NOT NULL,
    demand_id  uuid NOT NULL,
    seats      integer NOT NULL CHECK (seats > 0),
    score      integer NOT NULL,
    parts      jsonb NOT NULL,
    PRIMARY KEY (run_id, program_id, demand_id)
);

CREATE FUNCTION match_run_doc(m match_runs) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', m.id, 'status', m.status,
        'scope', json_build_object('region_code', m.region_code, 'mode', m.mode, 'occupation_prefix', m.occupation_prefix),
        'objective', m.objective, 'assigned', m.assigned, 'demand_total', m.demand_total,
        'capacity_total', m.capacity_total, 'programs', m.programs, 'demands', m.demands, 'arcs', m.arcs,
        'error', m.error, 'created_at', utc_iso(m.created_at), 'started_at', utc_iso(m.started_at),
        'finished_at', utc_iso(m.finished_at))
$$;

-- Search by the query's character pairs only (single characters are in nearly every name and
-- make the index scan slow); a one-character query uses the character itself.
CREATE FUNCTION search_query_grams(q text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT CASE WHEN char_length(q) < 2 THEN ARRAY[lower(q)]
        ELSE (SELECT coalesce(array_agg(DISTINCT substr(lower(q), i, 2)), '{}')
              FROM generate_series(1, char_length(q) - 1) AS i
              WHERE substr(q, i, 2) !~ ' ') END
$$;
