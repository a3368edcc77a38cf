-- A run over everywhere is stored with region_code '' (the empty prefix); its document says
-- null, as the OpenAPI schema of the scope does (a region code there has 1 to 6 digits).
CREATE OR REPLACE FUNCTION match_run_doc(m match_runs) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', m.id, 'status', m.status,
        'scope', json_build_object('region_code', nullif(m.region_code, ''), 'mode', m.mode,
                                   'occupation_prefix', m.occupation_prefix),
        'objective', m.objective, 'assigned', m.assigned, 'demand_total', m.demand_total,
        'capacity_total', m.capacity_total, 'programs', m.programs, 'demands', m.demands, 'arcs', m.arcs,
        'error', m.error, 'created_at', utc_iso(m.created_at), 'started_at', utc_iso(m.started_at),
        'finished_at', utc_iso(m.finished_at))
$$;
