-- Cooperation: one demand and one program, for some seats and a mode both support. Seats of
-- accepted and completed cooperations are counted on the program and the demand themselves
-- (`seats_taken`, `headcount_taken`), changed only in the transaction that moves a
-- cooperation, with both rows locked (program first, then demand), so no race can overfill.

ALTER TABLE programs ADD COLUMN seats_taken integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT programs_seats_taken_within_capacity CHECK (seats_taken BETWEEN 0 AND capacity);
ALTER TABLE demands ADD COLUMN headcount_taken integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT demands_headcount_taken_within_headcount CHECK (headcount_taken BETWEEN 0 AND headcount);

CREATE TABLE cooperations (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    demand_id         uuid NOT NULL REFERENCES demands (id),
    program_id        uuid NOT NULL REFERENCES programs (id),
    enterprise_id     uuid NOT NULL REFERENCES enterprises (id),
    college_id        uuid NOT NULL REFERENCES colleges (id),
    -- The two sides' counties: a county officer sees the cooperations of either.
    enterprise_region text NOT NULL,
    college_region    text NOT NULL,
    mode              text NOT NULL CHECK (mode IN ('order_class', 'apprenticeship', 'internship', 'employment', 'training_base')),
    seats             integer NOT NULL CHECK (seats BETWEEN 1 AND 10000),
    note              text CHECK (char_length(note) <= 1000),
    proposed_by       text NOT NULL CHECK (proposed_by IN ('enterprise', 'college')),
    status            text NOT NULL DEFAULT 'proposed'
                          CHECK (status IN ('proposed', 'accepted', 'declined', 'withdrawn', 'completed', 'terminated')),
    completed_on      date,
    trainees          integer CHECK (trainees BETWEEN 0 AND 10000),
    termination_note  text CHECK (char_length(termination_note) <= 1000),
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cooperations_demand ON cooperations (demand_id);
CREATE INDEX cooperations_program ON cooperations (program_id);
CREATE INDEX cooperations_enterprise ON cooperations (enterprise_id, id);
CREATE INDEX cooperations_college ON cooperations (college_id, id);

CREATE FUNCTION cooperation_doc(c cooperations) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', c.id, 'demand_id', c.demand_id, 'program_id', c.program_id, 'enterprise_id', c.enterprise_id,
        'college_id', c.college_id, 'mode', c.mode, 'seats', c.seats, 'note', c.note, 'proposed_by', c.proposed_by,
        'status', c.status, 'completed_on', c.completed_on, 'trainees', c.trainees,
        'termination_note', c.termination_note, 'version', c.version,
        'created_at', utc_iso(c.created_at), 'updated_at', utc_iso(c.updated_at))
$$;

CREATE OR REPLACE FUNCTION program_doc(p programs) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', p.id, 'college_id', p.college_id, 'title', p.title,
        'specialty_code', p.specialty_code, 'level', p.level, 'skills', p.skills,
        'capacity', p.capacity, 'remaining_seats', p.capacity - p.seats_taken, 'modes', p.modes,
        'region_code', p.region_code, 'starts_on', p.starts_on, 'ends_on', p.ends_on, 'status', p.status,
        'version', p.version, 'created_at', utc_iso(p.created_at), 'updated_at', utc_iso(p.updated_at))
$$;

CREATE OR REPLACE FUNCTION demand_doc(d demands) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', d.id, 'enterprise_id', d.enterprise_id, 'title', d.title,
        'occupation_code', d.occupation_code, 'skills', d.skills, 'headcount', d.headcount,
        'remaining_headcount', d.headcount - d.headcount_taken,
        'min_level', d.min_level, 'mode', d.mode, 'region_code', d.region_code,
        'starts_on', d.starts_on, 'ends_on', d.ends_on, 'status', d.status,
        'archived', d.archived_at IS NOT NULL, 'version', d.version,
        'created_at', utc_iso(d.created_at), 'updated_at', utc_iso(d.updated_at))
$$;
