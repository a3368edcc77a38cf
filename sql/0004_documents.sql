-- The JSON documents the API serves, built where the data is (one round trip, no re-encoding).
-- `detailed` adds what only the owner, its county and the bureau may see.

CREATE FUNCTION enterprise_doc(e enterprises, detailed boolean) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN detailed THEN json_build_object(
        'id', e.id, 'name', e.name, 'uscc', e.uscc, 'uscc_override', e.uscc_override,
        'region_code', e.region_code, 'industry_code', e.industry_code, 'size', e.size,
        'address', e.address, 'contact', e.contact, 'status', e.status,
        'archived', e.archived_at IS NOT NULL, 'version', e.version,
        'created_at', utc_iso(e.created_at), 'updated_at', utc_iso(e.updated_at))
    ELSE json_build_object(
        'id', e.id, 'name', e.name, 'uscc', e.uscc, 'region_code', e.region_code,
        'industry_code', e.industry_code, 'size', e.size, 'status', e.status)
    END
$$;

CREATE FUNCTION college_doc(c colleges, detailed boolean) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN detailed THEN json_build_object(
        'id', c.id, 'name', c.name, 'school_code', c.school_code, 'kind', c.kind,
        'region_code', c.region_code, 'address', c.address, 'contact', c.contact,
        'status', c.status, 'archived', c.archived_at IS NOT NULL, 'version', c.version,
        'created_at', utc_iso(c.created_at), 'updated_at', utc_iso(c.updated_at))
    ELSE json_build_object(
        'id', c.id, 'name', c.name, 'kind', c.kind, 'region_code', c.region_code, 'status', c.status)
    END
$$;

CREATE FUNCTION program_doc(p programs) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', p.id, 'college_id', p.college_id, 'title', p.title,
        'specialty_code', p.specialty_code, 'level', p.level, 'skills', p.skills,
        'capacity', p.capacity, 'modes', p.modes, 'region_code', p.region_code,
        'starts_on', p.starts_on, 'ends_on', p.ends_on, 'status', p.status,
        'version', p.version, 'created_at', utc_iso(p.created_at), 'updated_at', utc_iso(p.updated_at))
$$;

CREATE FUNCTION demand_doc(d demands) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', d.id, 'enterprise_id', d.enterprise_id, 'title', d.title,
        'occupation_code', d.occupation_code, 'skills', d.skills, 'headcount', d.headcount,
        'min_level', d.min_level, 'mode', d.mode, 'region_code', d.region_code,
        'starts_on', d.starts_on, 'ends_on', d.ends_on, 'status', d.status,
        'archived', d.archived_at IS NOT NULL, 'version', d.version,
        'created_at', utc_iso(d.created_at), 'updated_at', utc_iso(d.updated_at))
$$;

-- `masked` hides the person behind the profile (for enterprises and colleges).
CREATE FUNCTION talent_doc(t talents, masked boolean) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'id', t.id, 'source', t.source, 'external_id', t.external_id,
        'name', CASE WHEN masked THEN mask_name(t.name) ELSE t.name END,
        'phone', CASE WHEN masked THEN mask_phone(t.phone) ELSE t.phone END,
        'skills', t.skills, 'specialty_code', t.specialty_code,
        'education_level', t.education_level,
        'desired_occupation_codes', t.desired_occupation_codes, 'region_codes', t.region_codes,
        'available_from', t.available_from,
        'consent', json_build_object('share_with_enterprises', t.share_with_enterprises,
                                     'given_at', utc_iso(t.consent_given_at)),
        'version', t.version, 'created_at', utc_iso(t.created_at), 'updated_at', utc_iso(t.updated_at))
$$;
