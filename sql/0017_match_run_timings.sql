-- How long each phase of a finished run took, in seconds (issue 11): where a province run's
-- time goes is then on the run itself. Null until the run is done.
ALTER TABLE match_runs ADD COLUMN timings json;

CREATE OR REPLACE FUNCTION match_run_doc(m match_runs) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', m.id, 'status', m.status,
        'scope', json_build_object('region_code', nullif(m.region_code, ''), 'mode', m.mode,
                                   'occupation_prefix', m.occupation_prefix),
        'objective', m.objective, 'assigned', m.assigned, 'demand_total', m.demand_total,
        'capacity_total', m.capacity_total, 'programs', m.programs, 'demands', m.demands, 'arcs', m.arcs,
        'timings', m.timings,
        'error', m.error, 'created_at', utc_iso(m.created_at), 'started_at', utc_iso(m.started_at),
        'finished_at', utc_iso(m.finished_at))
$$;
