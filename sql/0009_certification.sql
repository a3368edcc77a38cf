-- Certification (产教融合型企业): applications and their history and attachments, the
-- bureau's recommendation quotas, certifications, reward policies and the reward ledger, and
-- the counties' targets for the red/black list. Every change is one write through the write
-- path; the rules live in ChanjiaoDomain (Workflow.applications, RewardRules, Scoreboard).

CREATE TABLE applications (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    enterprise_id      uuid NOT NULL REFERENCES enterprises (id),
    -- The enterprise's county, refreshed when it submits: the county that reviews it.
    region_code        text NOT NULL,
    level              text NOT NULL CHECK (level IN ('provincial', 'national')),
    year               integer NOT NULL CHECK (year BETWEEN 2019 AND 2100),
    materials          jsonb NOT NULL DEFAULT '{}',
    status             text NOT NULL DEFAULT 'draft'
                           CHECK (status IN ('draft', 'submitted', 'county_approved', 'returned', 'recommended',
                                             'approved', 'rejected', 'withdrawn')),
    -- China-time days the scoreboard counts by.
    first_submitted_on date,
    withdrawn_on       date,
    recommended_on     date,
    decided_on         date,
    document_no        text CHECK (char_length(document_no) <= 100),
    last_note          text CHECK (char_length(last_note) <= 1000),
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
-- One open application per enterprise, level and year.
CREATE UNIQUE INDEX applications_one_open ON applications (enterprise_id, level, year)
    WHERE status NOT IN ('withdrawn', 'rejected', 'approved');
CREATE INDEX applications_enterprise ON applications (enterprise_id, id);
CREATE INDEX applications_county ON applications (year, region_code);

CREATE TABLE application_history (
    id             bigserial PRIMARY KEY,
    application_id uuid NOT NULL REFERENCES applications (id),
    action         text NOT NULL,
    from_status    text NOT NULL,
    to_status      text NOT NULL,
    account_id     uuid,
    role           text,
    note           text,
    occurred_at    timestamptz NOT NULL
);
CREATE INDEX application_history_application ON application_history (application_id, id);

CREATE TABLE application_attachments (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id uuid NOT NULL REFERENCES applications (id),
    filename       text NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 200),
    content_type   text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size           integer NOT NULL CHECK (size > 0),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content        bytea NOT NULL,
    account_id     uuid,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_attachments_application ON application_attachments (application_id, id);

CREATE TABLE quotas (
    year            integer NOT NULL CHECK (year BETWEEN 2019 AND 2100),
    level           text NOT NULL CHECK (level IN ('provincial', 'national')),
    region_code     text NOT NULL REFERENCES regions (code),
    recommendations integer NOT NULL CHECK (recommendations BETWEEN 0 AND 10000),
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, level, region_code)
);

CREATE TABLE certifications (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id     uuid NOT NULL UNIQUE REFERENCES applications (id),
    enterprise_id      uuid NOT NULL REFERENCES enterprises (id),
    region_code        text NOT NULL,
    level              text NOT NULL CHECK (level IN ('provincial', 'national')),
    document_no        text NOT NULL CHECK (char_length(document_no) BETWEEN 1 AND 100),
    certified_on       date NOT NULL,
    valid_until        date NOT NULL CHECK (valid_until >= certified_on),
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    revoked_reason     text CHECK (char_length(revoked_reason) <= 1000),
    revoked_document_no text CHECK (char_length(revoked_document_no) <= 100),
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX certifications_enterprise ON certifications (enterprise_id, level);

CREATE TABLE reward_policies (
    level          text NOT NULL CHECK (level IN ('provincial', 'national')),
    effective_from date NOT NULL,
    amount_fen     bigint NOT NULL CHECK (amount_fen BETWEEN 0 AND 100000000000),
    top_up         boolean NOT NULL,
    version        integer NOT NULL DEFAULT 1,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (level, effective_from)
);

CREATE TABLE rewards (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Exactly one reward per certification, whatever the concurrency.
    certification_id uuid NOT NULL UNIQUE REFERENCES certifications (id),
    enterprise_id    uuid NOT NULL REFERENCES enterprises (id),
    region_code      text NOT NULL,
    level            text NOT NULL CHECK (level IN ('provincial', 'national')),
    year             integer NOT NULL,
    amount_fen       bigint NOT NULL CHECK (amount_fen >= 0),
    status           text NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'disbursing', 'disbursed', 'cancelled', 'recovery_due')),
    paid_on          date,
    voucher_no       text CHECK (char_length(voucher_no) <= 100),
    reason           text CHECK (char_length(reason) <= 1000),
    -- 双人复核: who recorded the payment, and the other account that confirmed it.
    recorded_by      uuid,
    confirmed_by     uuid CHECK (confirmed_by IS DISTINCT FROM recorded_by OR confirmed_by IS NULL),
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rewards_enterprise ON rewards (enterprise_id, id);
CREATE INDEX rewards_year ON rewards (year, region_code);

CREATE TABLE targets (
    year              integer NOT NULL CHECK (year BETWEEN 2019 AND 2100),
    region_code       text NOT NULL REFERENCES regions (code),
    submitted         integer NOT NULL CHECK (submitted BETWEEN 0 AND 100000),
    certified         integer NOT NULL CHECK (certified BETWEEN 0 AND 100000),
    deadline          date NOT NULL CHECK (extract(year FROM deadline) = year AND deadline > make_date(year, 1, 1)),
    responsible_name  text NOT NULL CHECK (char_length(responsible_name) BETWEEN 1 AND 50),
    responsible_title text NOT NULL CHECK (char_length(responsible_title) BETWEEN 1 AND 100),
    responsible_phone text NOT NULL CHECK (char_length(responsible_phone) BETWEEN 1 AND 20),
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, region_code)
);

CREATE FUNCTION application_doc(a applications) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', a.id, 'enterprise_id', a.enterprise_id,
        'enterprise_name', (SELECT e.name FROM enterprises e WHERE e.id = a.enterprise_id),
        'region_code', a.region_code, 'level', a.level, 'year', a.year, 'materials', a.materials,
        'status', a.status, 'submitted_on', a.first_submitted_on, 'recommended_on', a.recommended_on,
        'decided_on', a.decided_on, 'document_no', a.document_no, 'note', a.last_note,
        'certification_id', (SELECT c.id FROM certifications c WHERE c.application_id = a.id),
        'attachments', (SELECT count(*) FROM application_attachments t WHERE t.application_id = a.id),
        'version', a.version, 'created_at', utc_iso(a.created_at), 'updated_at', utc_iso(a.updated_at))
$$;

CREATE FUNCTION attachment_doc(t application_attachments) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', t.id, 'application_id', t.application_id, 'filename', t.filename, 'content_type', t.content_type,
        'size', t.size, 'sha256', t.sha256, 'created_at', utc_iso(t.created_at))
$$;

CREATE FUNCTION certification_doc(c certifications) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', c.id, 'enterprise_id', c.enterprise_id,
        'enterprise_name', (SELECT e.name FROM enterprises e WHERE e.id = c.enterprise_id),
        'region_code', c.region_code, 'level', c.level, 'document_no', c.document_no,
        'certified_on', c.certified_on, 'valid_until', c.valid_until, 'application_id', c.application_id,
        'status', c.status, 'revoked_reason', c.revoked_reason, 'revoked_document_no', c.revoked_document_no,
        'version', c.version, 'created_at', utc_iso(c.created_at), 'updated_at', utc_iso(c.updated_at))
$$;

CREATE FUNCTION reward_doc(r rewards) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', r.id, 'certification_id', r.certification_id, 'enterprise_id', r.enterprise_id,
        'enterprise_name', (SELECT e.name FROM enterprises e WHERE e.id = r.enterprise_id),
        'region_code', r.region_code, 'level', r.level, 'year', r.year, 'amount_fen', r.amount_fen,
        'status', r.status, 'paid_on', r.paid_on, 'voucher_no', r.voucher_no, 'reason', r.reason,
        'recorded_by', r.recorded_by, 'confirmed_by', r.confirmed_by,
        'version', r.version, 'created_at', utc_iso(r.created_at), 'updated_at', utc_iso(r.updated_at))
$$;

CREATE FUNCTION reward_policy_doc(p reward_policies) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'level', p.level, 'amount_fen', p.amount_fen, 'effective_from', p.effective_from, 'top_up', p.top_up,
        'version', p.version, 'updated_at', utc_iso(p.updated_at))
$$;

-- `with_phone`: the bureau and viewers; everyone else reads the target without the phone.
CREATE FUNCTION target_doc(t targets, with_phone boolean) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'year', t.year, 'region_code', t.region_code,
        'region_name', (SELECT g.name FROM regions g WHERE g.code = t.region_code),
        'submitted', t.submitted, 'certified', t.certified, 'deadline', t.deadline,
        'responsible', CASE WHEN with_phone
            THEN json_build_object('name', t.responsible_name, 'title', t.responsible_title, 'phone', t.responsible_phone)
            ELSE json_build_object('name', t.responsible_name, 'title', t.responsible_title) END,
        'version', t.version, 'created_at', utc_iso(t.created_at), 'updated_at', utc_iso(t.updated_at))
$$;

CREATE FUNCTION quota_doc(q quotas) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'year', q.year, 'level', q.level, 'region_code', q.region_code,
        'region_name', (SELECT g.name FROM regions g WHERE g.code = q.region_code),
        'recommendations', q.recommendations,
        'used', (SELECT count(*) FROM applications a
                 WHERE a.year = q.year AND a.level = q.level AND a.region_code = q.region_code
                   AND a.recommended_on IS NOT NULL),
        'version', q.version, 'updated_at', utc_iso(q.updated_at))
$$;
