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
            \(Self.updateIfChanged(conflict: "source, external_id", [
                "name", "phone", "skills", "specialty_code", "education_level", "desired_occupation_codes", "region_codes",
                "available_from", "share_with_enterprises", "consent_given_at",
            ]))
            """)
        return (try await finishUpsert(.talents, sql, bulk: bulk), [])
    }

    func upsertPrograms(_ items: [ImportItem<ProgramInput>], bulk: BulkWrite) async throws -> ImportResult {
        let refused = try await refusedOwned(
            .programs, items.map { ($0.line, $0.input.collegeID!, $0.input.externalID!, $0.input.capacity, $0.input.status == .published) },
            on: bulk.connection)
        let bad = Set(refused.map(\.row))
        let inputs = items.filter { !bad.contains($0.line) }.map(\.input)
        var sql = SQLComposer()
        let owners = sql.bind(inputs.map { $0.collegeID! })
        let keys = sql.bind(inputs.map { $0.externalID! })
        sql.append(
            """
            WITH old AS (\(OwnedRecords.programs.existing(owners: owners, keys: keys))),
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
            \(Self.updateIfChanged(conflict: "college_id, external_id", [
                "title", "specialty_code", "level", "skills", "capacity", "modes", "region_code", "starts_on", "ends_on", "status",
            ]))
            """)
        return (try await finishUpsert(.programs, sql, bulk: bulk), refused)
    }

    func upsertDemands(_ items: [ImportItem<DemandInput>], bulk: BulkWrite) async throws -> ImportResult {
        let refused = try await refusedOwned(
            .demands, items.map { ($0.line, $0.input.enterpriseID!, $0.input.externalID!, $0.input.headcount, $0.input.status == .open) },
            on: bulk.connection)
        let bad = Set(refused.map(\.row))
        let inputs = items.filter { !bad.contains($0.line) }.map(\.input)
        var sql = SQLComposer()
        let owners = sql.bind(inputs.map { $0.enterpriseID! })
        let keys = sql.bind(inputs.map { $0.externalID! })
        sql.append(
            """
            WITH old AS (\(OwnedRecords.demands.existing(owners: owners, keys: keys))),
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
            \(Self.updateIfChanged(conflict: "enterprise_id, external_id", [
                "title", "occupation_code", "skills", "headcount", "min_level", "mode", "region_code", "starts_on", "ends_on", "status",
            ]))
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
            \(Self.updateIfChanged(conflict: "uscc", ["name", "uscc_override", "region_code", "industry_code", "size", "address", "contact"]))
            """)
        return (try await finishUpsert(.enterprises, sql, bulk: bulk), [])
    }

    /// `ON CONFLICT (conflict) DO UPDATE` of `columns` with a new version, only `WHERE` one of
    /// them differs: a row equal to its record touches nothing.
    static func updateIfChanged(conflict: String, _ columns: [String]) -> String {
        """
        ON CONFLICT (\(conflict)) DO UPDATE SET \(columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")),
            version = r.version + 1, updated_at = now()
        WHERE (\(columns.map { "r.\($0)" }.joined(separator: ", "))) IS DISTINCT FROM (\(columns.map { "excluded.\($0)" }.joined(separator: ", ")))
        """
    }

    /// One record by its natural key, locked unless it is already. `LIMIT 1` keeps the planner from turning the
    /// lookups into a join: with statistics that do not yet know of the rows an import has
    /// just added, it would scan the whole table once per batch.
    static func byKey(_ select: String, locked: Bool = true) -> String { "\(select) LIMIT 1" + (locked ? " FOR UPDATE" : "") }

    /// Makes `old` (`SELECT … FOR UPDATE`) run, and take its locks, before the insert writes its
    /// first row: run later, it would skip every row the insert has changed already, as a lock
    /// skips a row its own statement changed, and those records would lose their `before`.
    static let lockedFirst = "(SELECT count(*) FROM old) >= 0"

    /// The rows of a chunk of programs or demands that cannot be written, the chunk's existing
    /// records locked: an owner that does not exist, or is not active for a row that publishes;
    /// an archived record; a new total (capacity, headcount) below what accepted cooperations hold.
    private func refusedOwned(
        _ kind: OwnedRecords, _ rows: [(line: Int, owner: UUID, key: String, total: Int, publishes: Bool)], on connection: PostgresConnection
    ) async throws -> [ImportReport.RowError] {
        var refused = try await checkOwners(rows.map { ($0.line, $0.owner, $0.publishes) }, kind, on: connection)
        var sql = SQLComposer()
        sql.append("SELECT x.* FROM unnest(\(sql.bind(rows.map(\.owner)))::uuid[], \(sql.bind(rows.map(\.key)))::text[]) AS k(o, e), LATERAL (")
        sql.append(Self.byKey("SELECT r.\(kind.ownerColumn), r.external_id, \(kind.archived), r.\(kind.taken) FROM \(kind.resource.table) r WHERE r.\(kind.ownerColumn) = k.o AND r.external_id = k.e") + ") AS x")
        let found = try await connection.query(sql.query, logger: logger).decode((UUID, String, Bool, Int).self).all()
        let byKey = Dictionary(found.map { ("\($0.0)/\($0.1)", ($0.2, $0.3)) }, uniquingKeysWith: { a, _ in a })
        for row in rows {
            guard let (archived, held) = byKey["\(row.owner)/\(row.key)"], archived || row.total < held else { continue }
            refused.append(
                archived
                    ? .init(row: row.line, field: "external_id", message: "names an archived \(kind.resource.singular), which cannot be changed")
                    : .init(row: row.line, field: kind.totalField, message: "must be at least \(held): \(kind.held)"))
        }
        return refused
    }

    /// The owners the rows name must exist, and be active for rows that publish; share-locked
    /// like a single write's, so a suspension cannot slip in between.
    private func checkOwners(
        _ rows: [(line: Int, owner: UUID, publishes: Bool)], _ kind: OwnedRecords, on connection: PostgresConnection
    ) async throws -> [ImportReport.RowError] {
        var sql = SQLComposer("SELECT id, status = 'active' AND archived_at IS NULL FROM \(kind.owner.table) WHERE id = ANY(")
        sql.append(sql.bind(Array(Set(rows.map(\.owner)))) + "::uuid[]) FOR SHARE")
        let found = Dictionary(
            try await connection.query(sql.query, logger: logger).decode((UUID, Bool).self).all().map { ($0.0, $0.1) },
            uniquingKeysWith: { a, _ in a })
        let owner = kind.owner.singular
        return rows.compactMap { row in
            guard let active = found[row.owner] else {
                return .init(row: row.line, field: kind.ownerColumn, message: "\(owner) \(row.owner.text) does not exist")
            }
            return row.publishes && !active
                ? .init(row: row.line, field: "status", message: "only an active, verified \(owner) publishes") : nil
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
        appendRecording(resource, bulk, to: &sql)
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

/// Programs and demands: records an organization owns, keyed by owner and `external_id`, whose
/// total (seats, headcount) accepted cooperations hold a part of.
struct OwnedRecords {
    var resource: Resource
    /// The owners' kind and the column naming the owner.
    var owner: Resource
    var ownerColumn: String
    /// The column counting what accepted cooperations hold, and the field it bounds.
    var taken: String
    var totalField: String
    var held: String
    var archived: String

    static let programs = OwnedRecords(
        resource: .programs, owner: .colleges, ownerColumn: "college_id", taken: "seats_taken", totalField: "capacity",
        held: "accepted cooperations hold that many seats", archived: "r.status = 'archived'")
    static let demands = OwnedRecords(
        resource: .demands, owner: .enterprises, ownerColumn: "enterprise_id", taken: "headcount_taken", totalField: "headcount",
        held: "accepted cooperations hold that many", archived: "r.archived_at IS NOT NULL")

    /// The chunk's existing records, as `old` of its upsert; `refusedOwned` has locked them.
    func existing(owners: String, keys: String) -> String {
        "SELECT x.* FROM unnest(\(owners)::uuid[], \(keys)::text[]) AS k(o, e), "
            + "LATERAL (\(Store.byKey("SELECT r.id, r FROM \(resource.table) r WHERE r.\(ownerColumn) = k.o AND r.external_id = k.e", locked: false))) AS x"
    }
}
