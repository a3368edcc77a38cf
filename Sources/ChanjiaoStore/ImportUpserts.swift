import ChanjiaoDomain
import Foundation
import PostgresNIO

/// The batched statements of the imports, one kind each: lock the chunk's existing records,
/// refuse the rows they cannot take, then one `INSERT … SELECT FROM unnest(…) ON CONFLICT
/// (natural key) DO UPDATE … WHERE` the values differ — so a row equal to its record touches
/// nothing (no version bump, no event) and is counted unchanged. The same statement writes the
/// audit and outbox rows of the records it changed (`finishUpsert`).
extension Store {
    /// The ids of the records a chunk changed, and the rows it refused.
    typealias ImportResult = (changed: [UUID], refused: [ImportReport.RowError])

    func upsertTalents(_ items: [ImportItem<TalentInput>], source: String, bulk: BulkWrite) async throws -> ImportResult {
        let inputs = items.map(\.input)
        var sql = SQLComposer()
        let keys = sql.bind(inputs.map(\.externalID))
        let owner = sql.bind(source)
        sql.append(
            """
            WITH old AS (SELECT o.* FROM unnest(\(keys)::text[]) AS k(e),
                         LATERAL (\(Self.byKey("SELECT r.id, r FROM talents r WHERE r.source = \(owner) AND r.external_id = k.e"))) AS o),
            up AS (
            INSERT INTO talents AS r (source, external_id, name, phone, skills, specialty_code, education_level,
                                      desired_occupation_codes, region_codes, available_from, share_with_enterprises, consent_given_at)
            SELECT \(owner), e, n, nullif(p, ''), s::jsonb, nullif(sp, ''), el,
                   coalesce(string_to_array(nullif(o, ''), ';'), '{}'), coalesce(string_to_array(nullif(rc, ''), ';'), '{}'),
                   nullif(af, '')::date, sh, to_timestamp(cg)
            FROM unnest(\(keys)::text[], \(sql.bind(inputs.map(\.name)))::text[],
                        \(sql.bind(inputs.map { $0.phone ?? "" }))::text[], \(sql.bind(inputs.map { $0.skills.json(weighted: false) }))::text[],
                        \(sql.bind(inputs.map { $0.specialtyCode ?? "" }))::text[], \(sql.bind(inputs.map(\.educationLevel.rawValue)))::text[],
                        \(sql.bind(inputs.map { $0.desiredOccupationCodes.joined(separator: ";") }))::text[],
                        \(sql.bind(inputs.map { $0.regionCodes.joined(separator: ";") }))::text[],
                        \(sql.bind(inputs.map { $0.availableFrom ?? "" }))::text[], \(sql.bind(inputs.map(\.shareWithEnterprises)))::bool[],
                        \(sql.bind(inputs.map { $0.consentGivenAt.timeIntervalSince1970 }))::float8[])
                 AS u(e, n, p, s, sp, el, o, rc, af, sh, cg)
            WHERE \(Self.lockedFirst)
            ON CONFLICT (source, external_id) DO UPDATE SET name = excluded.name, phone = excluded.phone, skills = excluded.skills,
                specialty_code = excluded.specialty_code, education_level = excluded.education_level,
                desired_occupation_codes = excluded.desired_occupation_codes, region_codes = excluded.region_codes,
                available_from = excluded.available_from, share_with_enterprises = excluded.share_with_enterprises,
                consent_given_at = excluded.consent_given_at, version = r.version + 1, updated_at = now()
            WHERE (r.name, r.phone, r.skills, r.specialty_code, r.education_level, r.desired_occupation_codes, r.region_codes,
                   r.available_from, r.share_with_enterprises, r.consent_given_at)
                  IS DISTINCT FROM (excluded.name, excluded.phone, excluded.skills, excluded.specialty_code, excluded.education_level,
                   excluded.desired_occupation_codes, excluded.region_codes, excluded.available_from,
                   excluded.share_with_enterprises, excluded.consent_given_at)
            """)
        return (try await finishUpsert(.talents, sql, bulk: bulk), [])
    }

    func upsertPrograms(_ items: [ImportItem<ProgramInput>], bulk: BulkWrite) async throws -> ImportResult {
        let connection = bulk.connection
        var refused = try await checkOwners(
            items.map { ($0.line, $0.input.collegeID!, $0.input.status == .published) }, table: "colleges", field: "college_id", on: connection)
        let blocked = try await lockedRecords(
            "programs", owner: "college_id", taken: "seats_taken", archived: "r.status = 'archived'",
            rows: items.map { ($0.line, $0.input.collegeID!, $0.input.externalID!, $0.input.capacity) }, on: connection)
        refused += blocked.map { line, archived, taken in
            archived
                ? .init(row: line, field: "external_id", message: "names an archived program, which cannot be changed")
                : .init(row: line, field: "capacity", message: "must be at least \(taken): accepted cooperations hold that many seats")
        }
        let bad = Set(refused.map(\.row))
        let inputs = items.filter { !bad.contains($0.line) }.map(\.input)
        var sql = SQLComposer()
        let owners = sql.bind(inputs.map { $0.collegeID! })
        let keys = sql.bind(inputs.map { $0.externalID! })
        // Locked already (`lockedRecords`).
        sql.append(
            """
            WITH old AS (SELECT r.id, r FROM programs r WHERE (r.college_id, r.external_id) IN (SELECT * FROM unnest(\(owners)::uuid[], \(keys)::text[]))),
            up AS (
            INSERT INTO programs AS r (college_id, external_id, title, specialty_code, level, skills, capacity, modes, region_code,
                                       starts_on, ends_on, status)
            SELECT c, e, t, sp, l, s::jsonb, cap::int, string_to_array(m, ';'), rc, nullif(so, '')::date, nullif(eo, '')::date, st
            FROM unnest(\(owners)::uuid[], \(keys)::text[],
                        \(sql.bind(inputs.map(\.title)))::text[], \(sql.bind(inputs.map(\.specialtyCode)))::text[],
                        \(sql.bind(inputs.map(\.level.rawValue)))::text[], \(sql.bind(inputs.map { $0.skills.json(weighted: false) }))::text[],
                        \(sql.bind(inputs.map(\.capacity)))::int8[], \(sql.bind(inputs.map { $0.modes.map(\.rawValue).joined(separator: ";") }))::text[],
                        \(sql.bind(inputs.map(\.regionCode)))::text[], \(sql.bind(inputs.map { $0.startsOn ?? "" }))::text[],
                        \(sql.bind(inputs.map { $0.endsOn ?? "" }))::text[], \(sql.bind(inputs.map(\.status.rawValue)))::text[])
                 AS u(c, e, t, sp, l, s, cap, m, rc, so, eo, st)
            ON CONFLICT (college_id, external_id) DO UPDATE SET title = excluded.title, specialty_code = excluded.specialty_code,
                level = excluded.level, skills = excluded.skills, capacity = excluded.capacity, modes = excluded.modes,
                region_code = excluded.region_code, starts_on = excluded.starts_on, ends_on = excluded.ends_on,
                status = excluded.status, version = r.version + 1, updated_at = now()
            WHERE (r.title, r.specialty_code, r.level, r.skills, r.capacity, r.modes, r.region_code, r.starts_on, r.ends_on, r.status)
                  IS DISTINCT FROM (excluded.title, excluded.specialty_code, excluded.level, excluded.skills, excluded.capacity,
                   excluded.modes, excluded.region_code, excluded.starts_on, excluded.ends_on, excluded.status)
            """)
        return (try await finishUpsert(.programs, sql, bulk: bulk), refused)
    }

    func upsertDemands(_ items: [ImportItem<DemandInput>], bulk: BulkWrite) async throws -> ImportResult {
        let connection = bulk.connection
        var refused = try await checkOwners(
            items.map { ($0.line, $0.input.enterpriseID!, $0.input.status == .open) }, table: "enterprises", field: "enterprise_id", on: connection)
        let blocked = try await lockedRecords(
            "demands", owner: "enterprise_id", taken: "headcount_taken", archived: "r.archived_at IS NOT NULL",
            rows: items.map { ($0.line, $0.input.enterpriseID!, $0.input.externalID!, $0.input.headcount) }, on: connection)
        refused += blocked.map { line, archived, taken in
            archived
                ? .init(row: line, field: "external_id", message: "names an archived demand, which cannot be changed")
                : .init(row: line, field: "headcount", message: "must be at least \(taken): accepted cooperations hold that many")
        }
        let bad = Set(refused.map(\.row))
        let inputs = items.filter { !bad.contains($0.line) }.map(\.input)
        var sql = SQLComposer()
        let owners = sql.bind(inputs.map { $0.enterpriseID! })
        let keys = sql.bind(inputs.map { $0.externalID! })
        // Locked already (`lockedRecords`).
        sql.append(
            """
            WITH old AS (SELECT r.id, r FROM demands r WHERE (r.enterprise_id, r.external_id) IN (SELECT * FROM unnest(\(owners)::uuid[], \(keys)::text[]))),
            up AS (
            INSERT INTO demands AS r (enterprise_id, external_id, title, occupation_code, skills, headcount, min_level, mode,
                                      region_code, starts_on, ends_on, status)
            SELECT en, e, t, oc, s::jsonb, h::int, ml, m, rc, nullif(so, '')::date, nullif(eo, '')::date, st
            FROM unnest(\(owners)::uuid[], \(keys)::text[],
                        \(sql.bind(inputs.map(\.title)))::text[], \(sql.bind(inputs.map(\.occupationCode)))::text[],
                        \(sql.bind(inputs.map { $0.skills.json(weighted: true) }))::text[], \(sql.bind(inputs.map(\.headcount)))::int8[],
                        \(sql.bind(inputs.map(\.minLevel.rawValue)))::text[], \(sql.bind(inputs.map(\.mode.rawValue)))::text[],
                        \(sql.bind(inputs.map(\.regionCode)))::text[], \(sql.bind(inputs.map { $0.startsOn ?? "" }))::text[],
                        \(sql.bind(inputs.map { $0.endsOn ?? "" }))::text[], \(sql.bind(inputs.map(\.status.rawValue)))::text[])
                 AS u(en, e, t, oc, s, h, ml, m, rc, so, eo, st)
            ON CONFLICT (enterprise_id, external_id) DO UPDATE SET title = excluded.title, occupation_code = excluded.occupation_code,
                skills = excluded.skills, headcount = excluded.headcount, min_level = excluded.min_level, mode = excluded.mode,
                region_code = excluded.region_code, starts_on = excluded.starts_on, ends_on = excluded.ends_on,
                status = excluded.status, version = r.version + 1, updated_at = now()
            WHERE (r.title, r.occupation_code, r.skills, r.headcount, r.min_level, r.mode, r.region_code, r.starts_on, r.ends_on, r.status)
                  IS DISTINCT FROM (excluded.title, excluded.occupation_code, excluded.skills, excluded.headcount, excluded.min_level,
                   excluded.mode, excluded.region_code, excluded.starts_on, excluded.ends_on, excluded.status)
            """)
        return (try await finishUpsert(.demands, sql, bulk: bulk), refused)
    }

    /// Enterprises by their code: new ones come in `active` (the bureau imports them); an
    /// existing one keeps its status.
    func upsertEnterprises(_ items: [ImportItem<EnterpriseInput>], bulk: BulkWrite) async throws -> ImportResult {
        let inputs = items.map(\.input)
        var sql = SQLComposer()
        let codes = sql.bind(inputs.map(\.uscc))
        sql.append(
            """
            WITH old AS (SELECT o.* FROM unnest(\(codes)::text[]) AS k(u),
                         LATERAL (\(Self.byKey("SELECT r.id, r FROM enterprises r WHERE r.uscc = k.u"))) AS o),
            up AS (
            INSERT INTO enterprises AS r (name, uscc, uscc_override, region_code, industry_code, size, address, contact, status, verified_at)
            SELECT n, u, o, rc, nullif(i, ''), sz, nullif(a, ''), nullif(c, '')::jsonb, 'active', now()
            FROM unnest(\(sql.bind(inputs.map(\.name)))::text[], \(codes)::text[],
                        \(sql.bind(inputs.map(\.usccOverride)))::bool[], \(sql.bind(inputs.map(\.regionCode)))::text[],
                        \(sql.bind(inputs.map { $0.industryCode ?? "" }))::text[], \(sql.bind(inputs.map(\.size.rawValue)))::text[],
                        \(sql.bind(inputs.map { $0.address ?? "" }))::text[], \(sql.bind(inputs.map { $0.contact?.json ?? "" }))::text[])
                 AS x(n, u, o, rc, i, sz, a, c)
            WHERE \(Self.lockedFirst)
            ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, uscc_override = excluded.uscc_override,
                region_code = excluded.region_code, industry_code = excluded.industry_code, size = excluded.size,
                address = excluded.address, contact = excluded.contact, version = r.version + 1, updated_at = now()
            WHERE (r.name, r.uscc_override, r.region_code, r.industry_code, r.size, r.address, r.contact)
                  IS DISTINCT FROM (excluded.name, excluded.uscc_override, excluded.region_code, excluded.industry_code,
                   excluded.size, excluded.address, excluded.contact)
            """)
        return (try await finishUpsert(.enterprises, sql, bulk: bulk), [])
    }

    /// One record by its natural key, locked. `LIMIT 1` keeps the planner from turning the
    /// lookups into a join: with statistics that do not yet know of the rows an import has
    /// just added, it would scan the whole table once per batch.
    static func byKey(_ select: String) -> String { "\(select) LIMIT 1 FOR UPDATE" }

    /// Makes `old` (`SELECT … FOR UPDATE`) run, and take its locks, before the insert writes its
    /// first row: run later, it would skip every row the insert has changed already, as a lock
    /// skips a row its own statement changed, and those records would lose their `before`.
    static let lockedFirst = "(SELECT count(*) FROM old) >= 0"

    /// Locks the chunk's records that exist already (`table`, by owner and `external_id`), and
    /// answers the rows they cannot take: an archived record, or a new total (capacity,
    /// headcount) below what accepted cooperations hold (`taken`).
    private func lockedRecords(
        _ table: String, owner: String, taken: String, archived: String,
        rows: [(line: Int, owner: UUID, key: String, total: Int)], on connection: PostgresConnection
    ) async throws -> [(line: Int, archived: Bool, taken: Int)] {
        var sql = SQLComposer(
            "SELECT r.\(owner), r.external_id, \(archived), r.\(taken) FROM \(table) r WHERE (r.\(owner), r.external_id) IN (SELECT * FROM unnest(")
        sql.append(sql.bind(rows.map(\.owner)) + "::uuid[], " + sql.bind(rows.map(\.key)) + "::text[])) FOR UPDATE")
        let found = try await connection.query(sql.query, logger: logger).decode((UUID, String, Bool, Int).self).all()
        let byKey = Dictionary(found.map { ("\($0.0)/\($0.1)", ($0.2, $0.3)) }, uniquingKeysWith: { a, _ in a })
        return rows.compactMap { row -> (line: Int, archived: Bool, taken: Int)? in
            guard let (isArchived, held) = byKey["\(row.owner)/\(row.key)"], isArchived || row.total < held else { return nil }
            return (row.line, isArchived, held)
        }
    }

    /// The owners the rows name must exist, and be active for rows that publish; share-locked
    /// like a single write's, so a suspension cannot slip in between.
    private func checkOwners(
        _ rows: [(line: Int, owner: UUID, publishes: Bool)], table: String, field: String, on connection: PostgresConnection
    ) async throws -> [ImportReport.RowError] {
        var sql = SQLComposer("SELECT id, status = 'active' AND archived_at IS NULL FROM \(table) WHERE id = ANY(")
        sql.append(sql.bind(Array(Set(rows.map(\.owner)))) + "::uuid[]) FOR SHARE")
        let found = Dictionary(
            try await connection.query(sql.query, logger: logger).decode((UUID, Bool).self).all().map { ($0.0, $0.1) },
            uniquingKeysWith: { a, _ in a })
        let singular = String(table.dropLast())
        return rows.compactMap { row in
            guard let active = found[row.owner] else {
                return .init(row: row.line, field: field, message: "\(singular) \(row.owner.text) does not exist")
            }
            return row.publishes && !active
                ? .init(row: row.line, field: "status", message: "only an active, verified \(singular) publishes") : nil
        }
    }

    /// Ends an upsert begun as `WITH old AS (SELECT r.id, r …), up AS (INSERT … ON CONFLICT …`:
    /// it returns the changed rows' documents, pairs them with the documents before, writes
    /// their audit and outbox rows in the same statement, and answers their ids.
    private func finishUpsert(_ resource: Resource, _ upsert: SQLComposer, bulk: BulkWrite) async throws -> [UUID] {
        var sql = upsert
        sql.append(
            """

            RETURNING r.id, \(resource.writtenDocument("r"))::jsonb AS doc, \(resource.isPublic) AS is_public, r.xmax = 0 AS created),
            changes AS (
                SELECT up.id, up.created, CASE WHEN old.id IS NOT NULL THEN \(resource.writtenDocument("old.r"))::jsonb END AS before,
                       up.doc AS after, up.is_public
                FROM up LEFT JOIN old ON old.id = up.id)
            """)
        appendRecording(resource, keys: bulk.keys, actor: bulk.actor, now: bulk.now, to: &sql)
        sql.append("\nSELECT id FROM changes")
        return try await bulk.connection.query(sql.query, logger: logger).decode(UUID.self).all()
    }
}

/// What each statement of a bulk write needs to record its changes (`appendRecording`).
struct BulkWrite: Sendable {
    var connection: PostgresConnection
    var actor: WriteActor
    var now: Date
    /// The members of the resource's document, when its audit lists changed fields.
    var keys: [String]
}
