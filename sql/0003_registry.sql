-- The registry: what colleges teach, what enterprises need, who is looking for work.

CREATE TABLE programs (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    college_id     uuid NOT NULL REFERENCES colleges (id),
    title          text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    specialty_code text NOT NULL REFERENCES specialties (code),
    level          text NOT NULL CHECK (level IN ('short_term', 'secondary', 'associate', 'bachelor')),
    skills         jsonb NOT NULL DEFAULT '[]',   -- [{code, level}]
    capacity       integer NOT NULL CHECK (capacity BETWEEN 0 AND 10000),
    modes          text[] NOT NULL CHECK (cardinality(modes) >= 1 AND modes <@ ARRAY['order_class',
                       'apprenticeship', 'internship', 'employment', 'training_base']),
    region_code    text NOT NULL REFERENCES regions (code),
    starts_on      date,
    ends_on        date CHECK (ends_on >= starts_on),
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    title_grams    text[] GENERATED ALWAYS AS (search_grams(title)) STORED
);
CREATE INDEX programs_college ON programs (college_id, id);
CREATE INDEX programs_region ON programs (region_code, id);
CREATE INDEX programs_title_grams ON programs USING gin (title_grams);

CREATE TABLE demands (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    enterprise_id   uuid NOT NULL REFERENCES enterprises (id),
    title           text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    occupation_code text NOT NULL REFERENCES occupations (code),
    skills          jsonb NOT NULL DEFAULT '[]',  -- [{code, level, weight}]
    headcount       integer NOT NULL CHECK (headcount BETWEEN 1 AND 10000),
    min_level       text NOT NULL CHECK (min_level IN ('short_term', 'secondary', 'associate', 'bachelor')),
    mode            text NOT NULL CHECK (mode IN ('order_class', 'apprenticeship', 'internship',
                        'employment', 'training_base')),
    region_code     text NOT NULL REFERENCES regions (code),
    starts_on       date,
    ends_on         date CHECK (ends_on >= starts_on),
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    archived_at     timestamptz,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    title_grams     text[] GENERATED ALWAYS AS (search_grams(title)) STORED
);
CREATE INDEX demands_enterprise ON demands (enterprise_id, id);
CREATE INDEX demands_region ON demands (region_code, id);
CREATE INDEX demands_title_grams ON demands USING gin (title_grams);

-- Talent profiles are personal information: kept only with their source and a consent record.
CREATE TABLE talents (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source                   text NOT NULL CHECK (source ~ '^[a-z0-9][a-z0-9_-]{1,63}$'),
    external_id              text NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 100),
    name                     text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    phone                    text CHECK (phone ~ '^1[3-9][0-9]{9}$'),
    skills                   jsonb NOT NULL DEFAULT '[]',  -- [{code, level}]
    specialty_code           text REFERENCES specialties (code),
    education_level          text NOT NULL CHECK (education_level IN ('short_term', 'secondary', 'associate', 'bachelor')),
    desired_occupation_codes text[] NOT NULL DEFAULT '{}',
    region_codes             text[] NOT NULL DEFAULT '{}',
    available_from           date,
    share_with_enterprises   boolean NOT NULL,
    consent_given_at         timestamptz NOT NULL,
    version                  integer NOT NULL DEFAULT 1,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, external_id)
);

-- Masks for personal fields: 张三 → 张*, 13800000000 → 138****0000.
CREATE FUNCTION mask_name(n text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT left(n, 1) || repeat('*', greatest(char_length(n) - 1, 1))
$$;

CREATE FUNCTION mask_phone(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT left(p, 3) || '****' || right(p, 4)
$$;
