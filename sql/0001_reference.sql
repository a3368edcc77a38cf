-- Reference data: administrative divisions (GB/T 2260) and the taxonomies that records point at.

CREATE TABLE regions (
    code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
    name        text NOT NULL,
    parent_code text REFERENCES regions (code)
);

-- Skill groups are rows without a parent; records carry skills (rows with a parent) only.
CREATE TABLE skills (
    code   text PRIMARY KEY CHECK (code ~ '^[A-Z]{2,6}(-[0-9]{3})?$'),
    name   text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    parent text REFERENCES skills (code),
    CHECK ((parent IS NULL) = (code !~ '-'))
);

CREATE TABLE occupations (
    code text PRIMARY KEY CHECK (code ~ '^[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}$'),
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200)
);

CREATE TABLE specialties (
    code                     text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
    name                     text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    level                    text NOT NULL CHECK (level IN ('short_term', 'secondary', 'associate', 'bachelor')),
    related_occupation_codes text[] NOT NULL DEFAULT '{}'
);

-- Substring search on Chinese names: pg_trgm needs three characters, so names are indexed by
-- their single characters and character pairs. Any query of one or more characters is served by
-- the GIN index (every query gram must be in the name), then checked exactly with strpos.
CREATE FUNCTION search_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(array_agg(DISTINCT g), '{}')
    FROM (
        SELECT substr(lower(t), i, 1) AS g FROM generate_series(1, char_length(t)) AS i
        UNION ALL
        SELECT substr(lower(t), i, 2) FROM generate_series(1, char_length(t) - 1) AS i
    ) AS grams
    WHERE g <> ' '
$$;

-- Timestamps leave the database as ISO 8601 UTC strings with a Z.
CREATE FUNCTION utc_iso(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;
