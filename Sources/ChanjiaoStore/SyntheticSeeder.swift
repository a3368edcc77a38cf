import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Random but plausible registry data for benchmarks, generated inside PostgreSQL (100,000
/// rows in seconds). Ids are deterministic — record n of a kind is `md5('<kind>-' || n)::uuid`
/// — so pgbench can ask for the same rows the HTTP benchmark asks for; re-running adds nothing.
///
/// The shipped taxonomy is small, so records drawn from it are dense: at province size a
/// demand has some 760 eligible programs. `taxonomyScale` k > 1 adds k − 1 generated copies of
/// the taxonomy (skill groups `Q` + two letters for the copy + two for the group, occupations
/// `9-<copy>-<minor group>-<last segment>`, specialties `9<copy><index>`, with the same
/// structure: groups, minor groups and each specialty's related occupations map into the
/// copy), and record n draws its specialty or occupation and its skills from copy n mod k. Pairs
/// from different copies share no skill, occupation or minor group, so they score below the
/// default `min_score`: eligible pairs fall by about k, as a province with a curated, larger
/// taxonomy would have them.
public struct SyntheticSeeder: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    /// Copies of the taxonomy records may be drawn from: 1 (the shipped one) to 100.
    public static let taxonomyScales = 1...100

    public func seed(
        programs: Int, demands: Int, talents: Int, applications: Int = 0, taxonomyScale: Int = 1
    ) async throws -> (programs: Int, demands: Int, talents: Int) {
        precondition(Self.taxonomyScales.contains(taxonomyScale), "the taxonomy scale is 1...100")
        let colleges = max(1, programs / 30)
        let enterprises = max(1, demands / 20)
        let usccs = (1...enterprises).map { USCC.withCheckCharacters("91410000" + String(format: "%08d", $0))! }
        return try await store.transaction { connection in
            let logger = store.logger
            for statement in SQLScript.statements(Self.helpers) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await scaleTaxonomy(taxonomyScale, on: connection)
            try await connection.query(
                """
                INSERT INTO colleges (id, name, kind, region_code, status)
                SELECT md5('college-' || n)::uuid, '合成职业学院' || n, 'higher_vocational', pg_temp.pick(r.codes), 'active'
                FROM generate_series(1, \(colleges)) AS n, (SELECT array_agg(code) AS codes FROM pg_temp.counties) AS r
                ON CONFLICT DO NOTHING
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO enterprises (id, name, uscc, region_code, industry_code, size, status)
                SELECT md5('enterprise-' || n)::uuid, '合成企业' || n || '有限公司', u, pg_temp.pick(r.codes), 'C3211', 'medium', 'active'
                FROM unnest(\(usccs)::text[]) WITH ORDINALITY AS x(u, n), (SELECT array_agg(code) AS codes FROM pg_temp.counties) AS r
                ON CONFLICT DO NOTHING
                """, logger: logger)
            let addedPrograms = try await connection.query(
                """
                INSERT INTO programs (id, college_id, title, specialty_code, level, skills, capacity, modes, region_code,
                                      starts_on, ends_on, status)
                SELECT md5('program-' || n)::uuid, md5('college-' || (1 + n % \(colleges)))::uuid,
                       s.name || (ARRAY['订单班', '现代学徒制班', '岗前培训', '实训项目'])[1 + n % 4] || n,
                       s.code, (ARRAY['short_term', 'secondary', 'associate', 'bachelor'])[1 + floor(random() * 4)::int],
                       pg_temp.skills(2 + floor(random() * 4)::int, false, (n % \(taxonomyScale))::int), 10 + floor(random() * 110)::int,
                       pg_temp.modes(), pg_temp.pick(r.codes), date '2026-09-01', date '2027-07-15', 'published'
                FROM generate_series(1, \(programs)) AS n
                CROSS JOIN (SELECT array_agg(code) AS codes FROM pg_temp.counties) AS r
                CROSS JOIN LATERAL (SELECT x.code, x.name FROM pg_temp.tax_specialties x WHERE x.copy = n % \(taxonomyScale)
                                    ORDER BY random() + 0 * n LIMIT 1) AS s
                ON CONFLICT DO NOTHING
                """, logger: logger)
            let addedDemands = try await connection.query(
                """
                INSERT INTO demands (id, enterprise_id, title, occupation_code, skills, headcount, min_level, mode,
                                     region_code, starts_on, ends_on, status)
                SELECT md5('demand-' || n)::uuid, md5('enterprise-' || (1 + n % \(enterprises)))::uuid,
                       o.name || (ARRAY['招聘', '订单培养', '学徒招募', '实习岗位'])[1 + n % 4] || n, o.code,
                       pg_temp.skills(1 + floor(random() * 5)::int, true, (n % \(taxonomyScale))::int), 1 + floor(random() * 40)::int,
                       (ARRAY['short_term', 'secondary', 'associate', 'bachelor'])[1 + floor(random() * 4)::int],
                       (ARRAY['order_class', 'apprenticeship', 'internship', 'employment', 'training_base'])[1 + floor(random() * 5)::int],
                       pg_temp.pick(r.codes), date '2026-09-01', date '2027-12-31', 'open'
                FROM generate_series(1, \(demands)) AS n
                CROSS JOIN (SELECT array_agg(code) AS codes FROM pg_temp.counties) AS r
                CROSS JOIN LATERAL (SELECT x.code, x.name FROM pg_temp.tax_occupations x WHERE x.copy = n % \(taxonomyScale)
                                    ORDER BY random() + 0 * n LIMIT 1) AS o
                ON CONFLICT DO NOTHING
                """, logger: logger)
            let addedTalents = try await connection.query(
                """
                INSERT INTO talents (id, source, external_id, name, phone, skills, specialty_code, education_level,
                                     desired_occupation_codes, region_codes, share_with_enterprises, consent_given_at)
                SELECT md5('talent-' || n)::uuid, 'synthetic', 'S' || lpad(n::text, 8, '0'),
                       pg_temp.pick(ARRAY['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴']) ||
                       pg_temp.pick(ARRAY['伟', '芳', '娜', '敏', '静', '磊', '强', '洋', '艳', '杰', '涛', '明']),
                       '139' || lpad((n % 100000000)::text, 8, '0'), pg_temp.skills(1 + floor(random() * 5)::int, false, (n % \(taxonomyScale))::int),
                       (SELECT x.code FROM pg_temp.tax_specialties x WHERE x.copy = n % \(taxonomyScale) ORDER BY random() + 0 * n LIMIT 1),
                       (ARRAY['short_term', 'secondary', 'associate', 'bachelor'])[1 + floor(random() * 4)::int],
                       ARRAY[(SELECT x.code FROM pg_temp.tax_occupations x WHERE x.copy = n % \(taxonomyScale) ORDER BY random() + 0 * n LIMIT 1)],
                       ARRAY[pg_temp.pick(r.codes)], random() < 0.8, timestamptz '2026-01-01 00:00:00Z'
                FROM generate_series(1, \(talents)) AS n
                CROSS JOIN (SELECT array_agg(code) AS codes FROM pg_temp.counties) AS r
                ON CONFLICT DO NOTHING
                """, logger: logger)
            _ = (addedPrograms, addedDemands, addedTalents)
            if applications > 0 { try await seedApplications(applications, enterprises: enterprises, on: connection) }
            return (programs, demands, talents)
        }
    }

    /// `count` applications of the synthetic enterprises over the years 2019–2026 at random
    /// stages (dated in their year), the approved ones with their certification and reward, and
    /// targets for 2026 for every county of the province: the scoreboard's and the overview's
    /// benchmark. Each (enterprise, level, year) has at most one open application; the rest are
    /// closed (withdrawn, rejected or approved).
    private func seedApplications(_ count: Int, enterprises: Int, on connection: PostgresConnection) async throws {
        let logger = store.logger
        try await connection.query(
            """
            INSERT INTO applications (id, enterprise_id, region_code, level, year, materials, status,
                                      first_submitted_on, withdrawn_on, recommended_on, decided_on, document_no)
            SELECT md5('application-' || n)::uuid, e.id, e.region_code, x.level, x.year, '{}', x.status,
                   CASE WHEN x.status <> 'draft' THEN x.day END,
                   CASE WHEN x.status = 'withdrawn' THEN x.day + 20 END,
                   CASE WHEN x.status IN ('recommended', 'approved', 'rejected') THEN x.day + 30 END,
                   CASE WHEN x.status IN ('approved', 'rejected') THEN x.day + 60 END,
                   CASE WHEN x.status = 'approved' THEN '合成〔' || x.year || '〕' || n || '号' END
            FROM generate_series(1, \(count)) AS n
            JOIN enterprises e ON e.id = md5('enterprise-' || (1 + n % \(enterprises)))::uuid
            CROSS JOIN LATERAL (
                SELECT CASE WHEN (n / \(enterprises)) % 16 < 8 THEN 'provincial' ELSE 'national' END AS level,
                       2019 + (n / \(enterprises)) % 8 AS year,
                       CASE WHEN n < \(enterprises) * 16
                            THEN (ARRAY['draft', 'submitted', 'county_approved', 'returned', 'recommended', 'approved',
                                        'rejected', 'withdrawn'])[1 + floor(random() * 8)::int]
                            ELSE (ARRAY['withdrawn', 'rejected', 'approved'])[1 + floor(random() * 3)::int] END AS status,
                       make_date((2019 + (n / \(enterprises)) % 8)::int, 1, 1) + floor(random() * 240)::int AS day
            ) AS x
            ON CONFLICT DO NOTHING
            """, logger: logger)
        try await connection.query(
            """
            INSERT INTO certifications (application_id, enterprise_id, region_code, level, document_no, certified_on, valid_until)
            SELECT a.id, a.enterprise_id, a.region_code, a.level, a.document_no, a.decided_on,
                   (a.decided_on + interval '3 years' - interval '1 day')::date
            FROM applications a WHERE a.status = 'approved' AND a.document_no LIKE '合成%'
            ON CONFLICT DO NOTHING
            """, logger: logger)
        try await connection.query(
            """
            INSERT INTO rewards (certification_id, enterprise_id, region_code, level, year, amount_fen, status)
            SELECT c.id, c.enterprise_id, c.region_code, c.level, extract(year FROM c.certified_on)::int,
                   CASE c.level WHEN 'national' THEN 30000000 ELSE 20000000 END,
                   (ARRAY['pending', 'disbursed', 'disbursed'])[1 + floor(random() * 3)::int]
            FROM certifications c WHERE c.document_no LIKE '合成%'
            ON CONFLICT DO NOTHING
            """, logger: logger)
        try await connection.query(
            """
            INSERT INTO targets (year, region_code, submitted, certified, deadline, responsible_name, responsible_title, responsible_phone)
            SELECT 2026, code, 5 + floor(random() * 60)::int, 1 + floor(random() * 20)::int,
                   date '2026-12-31' - floor(random() * 90)::int, '合成负责人', '工业和信息化局局长', '0398-0000000'
            FROM pg_temp.counties
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Session-local helpers: random picks that PostgreSQL evaluates once per row.
    static let helpers = """
        CREATE TEMP TABLE counties ON COMMIT DROP AS
            SELECT code FROM regions WHERE code LIKE '41%' AND code NOT LIKE '%00';
        CREATE OR REPLACE FUNCTION pg_temp.pick(pool text[]) RETURNS text LANGUAGE sql VOLATILE AS
            $$ SELECT pool[1 + floor(random() * cardinality(pool))::int] $$;
        CREATE OR REPLACE FUNCTION pg_temp.modes() RETURNS text[] LANGUAGE sql VOLATILE AS $$
            SELECT array_agg(m) FROM unnest(ARRAY['order_class', 'apprenticeship', 'internship', 'employment',
                'training_base']) AS m WHERE random() < 0.5 OR m = 'internship' $$;
        CREATE OR REPLACE FUNCTION pg_temp.letters(n int) RETURNS text LANGUAGE sql IMMUTABLE AS
            $$ SELECT chr(65 + n / 26) || chr(65 + n % 26) $$;
        CREATE TEMP TABLE tax_skills (copy int, code text, name text, parent text) ON COMMIT DROP;
        CREATE TEMP TABLE tax_occupations (copy int, code text, name text) ON COMMIT DROP;
        CREATE TEMP TABLE tax_specialties (copy int, code text, name text, level text, related text[]) ON COMMIT DROP;
        CREATE TEMP TABLE minor_groups ON COMMIT DROP AS
            SELECT g, (row_number() OVER (ORDER BY g) - 1)::int AS n
            FROM (SELECT DISTINCT substring(code FROM '^[0-9]-[0-9]{2}-[0-9]{2}') AS g FROM occupations WHERE code NOT LIKE '9-%') AS x;
        -- A shipped occupation's code in copy c: 9-<c>-<its minor group's index>-<last segment>,
        -- so occupations of one minor group stay one minor group in every copy.
        CREATE OR REPLACE FUNCTION pg_temp.occupation_copy(code text, c int) RETURNS text LANGUAGE sql STABLE AS $$
            SELECT '9-' || lpad(c::text, 2, '0') || '-' || lpad(m.n::text, 2, '0') || '-' || right(code, 2)
            FROM pg_temp.minor_groups m WHERE m.g = substring(code FROM '^[0-9]-[0-9]{2}-[0-9]{2}') $$;
        CREATE OR REPLACE FUNCTION pg_temp.skills(k int, weighted boolean, copy int) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            pool text[] := (SELECT codes FROM pg_temp.skill_pool WHERE skill_pool.copy = skills.copy);
            picked text[] := '{}';
            result jsonb := '[]';
            code text;
        BEGIN
            FOR attempt IN 1 .. k * 3 LOOP
                EXIT WHEN cardinality(picked) >= k;
                code := pool[1 + floor(random() * cardinality(pool))::int];
                CONTINUE WHEN code = ANY (picked);
                picked := picked || code;
                result := result || CASE WHEN weighted
                    THEN jsonb_build_object('code', code, 'level', 1 + floor(random() * 5)::int, 'weight', 1 + floor(random() * 3)::int)
                    ELSE jsonb_build_object('code', code, 'level', 1 + floor(random() * 5)::int) END;
            END LOOP;
            RETURN result;
        END $$;
        """

    /// The taxonomy records draw from: copy 0 is the shipped taxonomy (without earlier runs'
    /// copies), copies 1..<scale are generated and added to the reference tables (kept: a later
    /// run at the same scale finds them there).
    private func scaleTaxonomy(_ scale: Int, on connection: PostgresConnection) async throws {
        let statements = [
            """
            INSERT INTO pg_temp.tax_skills
            SELECT 0, code, name, parent FROM skills WHERE code !~ '^Q[A-Z]{4}'
            """,
            """
            INSERT INTO pg_temp.tax_skills
            SELECT c, 'Q' || pg_temp.letters(c) || pg_temp.letters(g.n::int) || coalesce(substring(s.code FROM '-[0-9]{3}$'), ''),
                   s.name || '·' || c,
                   CASE WHEN s.parent IS NOT NULL THEN 'Q' || pg_temp.letters(c) || pg_temp.letters(g.n::int) END
            FROM generate_series(1, \(scale - 1)) AS c
            CROSS JOIN pg_temp.tax_skills s
            JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS n FROM pg_temp.tax_skills WHERE copy = 0 AND parent IS NULL) AS g
              ON g.code = coalesce(s.parent, s.code)
            WHERE s.copy = 0
            """,
            """
            INSERT INTO skills (code, name, parent)
            SELECT code, name, parent FROM pg_temp.tax_skills WHERE copy > 0 ORDER BY parent NULLS FIRST, code
            ON CONFLICT DO NOTHING
            """,
            """
            CREATE TEMP TABLE skill_pool ON COMMIT DROP AS
            SELECT copy, array_agg(code ORDER BY code) AS codes FROM pg_temp.tax_skills WHERE parent IS NOT NULL GROUP BY copy
            """,
            """
            INSERT INTO pg_temp.tax_occupations
            SELECT 0, code, name FROM occupations WHERE code NOT LIKE '9-%'
            """,
            """
            INSERT INTO pg_temp.tax_occupations
            SELECT c, pg_temp.occupation_copy(o.code, c), o.name || '·' || c
            FROM generate_series(1, \(scale - 1)) AS c CROSS JOIN pg_temp.tax_occupations o WHERE o.copy = 0
            """,
            """
            INSERT INTO occupations (code, name) SELECT code, name FROM pg_temp.tax_occupations WHERE copy > 0
            ON CONFLICT DO NOTHING
            """,
            """
            INSERT INTO pg_temp.tax_specialties
            SELECT 0, code, name, level, related_occupation_codes FROM specialties WHERE code NOT LIKE '9%'
            """,
            """
            INSERT INTO pg_temp.tax_specialties
            SELECT c, '9' || lpad(c::text, 2, '0') || lpad((row_number() OVER (PARTITION BY c ORDER BY s.code) - 1)::text, 3, '0'),
                   s.name || '·' || c, s.level, ARRAY(SELECT pg_temp.occupation_copy(r, c) FROM unnest(s.related) AS r)
            FROM generate_series(1, \(scale - 1)) AS c CROSS JOIN pg_temp.tax_specialties s WHERE s.copy = 0
            """,
            """
            INSERT INTO specialties (code, name, level, related_occupation_codes)
            SELECT code, name, level, related FROM pg_temp.tax_specialties WHERE copy > 0
            ON CONFLICT DO NOTHING
            """,
        ]
        for statement in statements {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: store.logger)
        }
    }
}
