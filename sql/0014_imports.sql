-- Bulk imports are idempotent by natural key: a program or a demand by the `external_id` its
-- owner gives it (unique per college, per enterprise). Records made through the API may have
-- none; several without one never collide (NULLs are distinct).
ALTER TABLE programs ADD COLUMN external_id text CHECK (char_length(external_id) BETWEEN 1 AND 100),
    ADD CONSTRAINT programs_owner_external_id UNIQUE (college_id, external_id);
ALTER TABLE demands ADD COLUMN external_id text CHECK (char_length(external_id) BETWEEN 1 AND 100),
    ADD CONSTRAINT demands_owner_external_id UNIQUE (enterprise_id, external_id);

CREATE OR REPLACE FUNCTION program_doc(p programs) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', p.id, 'external_id', p.external_id, 'college_id', p.college_id, 'title', p.title,
        'specialty_code', p.specialty_code, 'level', p.level, 'skills', p.skills,
        'capacity', p.capacity, 'remaining_seats', p.capacity - p.seats_taken, 'modes', p.modes,
        'region_code', p.region_code, 'starts_on', p.starts_on, 'ends_on', p.ends_on, 'status', p.status,
        'version', p.version, 'created_at', utc_iso(p.created_at), 'updated_at', utc_iso(p.updated_at))
$$;

CREATE OR REPLACE FUNCTION demand_doc(d demands) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', d.id, 'external_id', d.external_id, 'enterprise_id', d.enterprise_id, 'title', d.title,
        'occupation_code', d.occupation_code, 'skills', d.skills, 'headcount', d.headcount,
        'remaining_headcount', d.headcount - d.headcount_taken,
        'min_level', d.min_level, 'mode', d.mode, 'region_code', d.region_code,
        'starts_on', d.starts_on, 'ends_on', d.ends_on, 'status', d.status,
        'archived', d.archived_at IS NOT NULL, 'version', d.version,
        'created_at', utc_iso(d.created_at), 'updated_at', utc_iso(d.updated_at))
$$;
