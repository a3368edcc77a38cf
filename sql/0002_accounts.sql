-- Organizations, accounts, sessions, audit, idempotency.

CREATE TABLE enterprises (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    uscc          text NOT NULL UNIQUE CHECK (uscc ~ '^[0-9A-HJ-NP-RTUWXY]{18}$'),
    uscc_override boolean NOT NULL DEFAULT false,
    region_code   text NOT NULL REFERENCES regions (code),
    industry_code text CHECK (industry_code ~ '^[A-T][0-9]{0,4}$'),
    size          text NOT NULL CHECK (size IN ('large', 'medium', 'small', 'micro')),
    address       text CHECK (char_length(address) <= 500),
    contact       jsonb,
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'suspended')),
    archived_at   timestamptz,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    name_grams    text[] GENERATED ALWAYS AS (search_grams(name)) STORED
);
CREATE INDEX enterprises_region ON enterprises (region_code, id);
CREATE INDEX enterprises_name_grams ON enterprises USING gin (name_grams);

CREATE TABLE colleges (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    school_code text UNIQUE CHECK (school_code ~ '^[0-9A-Z]{1,20}$'),
    kind        text NOT NULL CHECK (kind IN ('secondary_vocational', 'higher_vocational',
                    'vocational_undergraduate', 'technician_college', 'training_center')),
    region_code text NOT NULL REFERENCES regions (code),
    address     text CHECK (char_length(address) <= 500),
    contact     jsonb,
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'suspended')),
    archived_at timestamptz,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    name_grams  text[] GENERATED ALWAYS AS (search_grams(name)) STORED
);
CREATE INDEX colleges_region ON colleges (region_code, id);
CREATE INDEX colleges_name_grams ON colleges USING gin (name_grams);

CREATE TABLE accounts (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('enterprise', 'college', 'county', 'bureau', 'partner')),
    enterprise_id uuid REFERENCES enterprises (id),
    college_id    uuid REFERENCES colleges (id),
    region_code   text REFERENCES regions (code),
    -- A partner's data source name: the `source` of the talent profiles it pushes.
    source        text CHECK (source ~ '^[a-z0-9][a-z0-9_-]{1,63}$'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'enterprise') = (enterprise_id IS NOT NULL)),
    CHECK ((role = 'college') = (college_id IS NOT NULL)),
    CHECK (role <> 'county' OR region_code IS NOT NULL),
    CHECK ((role = 'partner') = (source IS NOT NULL))
);

-- Bearer tokens are stored as SHA-256 hashes: a leaked table does not leak sessions.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE audit_events (
    id          bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    account_id  uuid REFERENCES accounts (id),
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   uuid,
    detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id);

-- Creating POSTs with an Idempotency-Key: the first response is kept and replayed.
-- A row with status NULL is a request still in flight.
CREATE TABLE idempotency_keys (
    scope        text NOT NULL,          -- the account id, or 'anonymous:' and the request's hash
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    status       integer,
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
