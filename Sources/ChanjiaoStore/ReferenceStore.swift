import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Reference data: regions (read-only, shipped) and the taxonomies (loaded by the importer).
public enum ReferenceList: String, CaseIterable, Sendable {
    case regions, skills, specialties, occupations

    var table: String { rawValue }

    var singular: String {
        switch self {
        case .regions: "region"
        case .skills: "skill"
        case .specialties: "specialty"
        case .occupations: "occupation"
        }
    }

    var document: String {
        switch self {
        case .regions: "json_build_object('code', code, 'name', name, 'parent_code', parent_code)"
        case .skills: "json_build_object('code', code, 'name', name, 'parent', parent)"
        case .specialties:
            "json_build_object('code', code, 'name', name, 'level', level, 'related_occupation_codes', related_occupation_codes)"
        case .occupations: "json_build_object('code', code, 'name', name)"
        }
    }

    /// Exact-match filters by query parameter: the column, and the value's rule.
    var filters: [String: (column: String, check: FilterCheck)] {
        switch self {
        case .regions: ["parent_code": ("parent_code", .sixDigits)]
        case .skills: ["parent": ("parent", .skillGroup)]
        case .specialties: ["level": ("level", .oneOf(EducationLevel.self))]
        case .occupations: [:]
        }
    }
}

extension Store {
    public func reference(_ list: ReferenceList, code: String) async throws -> String {
        var sql = SQLComposer("SELECT \(list.document)::text FROM \(list.table) WHERE code = ")
        sql.append(sql.bind(code))
        let query = sql.query
        let rows = try await read { connection in try await connection.query(query, logger: logger).decode(String.self).all() }
        guard let json = rows.first else { throw Problem.notFound("\(list.singular) \(code)") }
        return json
    }

    /// The names of `codes` in one list, by code; a code not in it is left out.
    public func referenceNames(_ list: ReferenceList, codes: [String]) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        var sql = SQLComposer("SELECT code, name FROM \(list.table) WHERE code = ANY(")
        sql.append(sql.bind(codes) + "::text[])")
        let query = sql.query
        let rows = try await read { connection in try await connection.query(query, logger: logger).decode((String, String).self).all() }
        return Dictionary(rows, uniquingKeysWith: { a, _ in a })
    }

    /// Ordered by code; `q` matches a substring of the name or a prefix of the code.
    public func references(_ list: ReferenceList, _ request: ListRequest) async throws -> Page {
        var sql = SQLComposer("SELECT \(list.document)::text, code FROM \(list.table) WHERE true")
        var errors: [FieldError] = []
        for (name, value) in request.filters.sorted(by: { $0.key < $1.key }) {
            guard let (column, check) = list.filters[name] else {
                let allowed = (Array(list.filters.keys) + ["q", "limit", "after"]).sorted().joined(separator: ", ")
                errors.append(FieldError(field: name, message: "is not a filter of \(list.rawValue); use one of: \(allowed)"))
                continue
            }
            if let message = check.message(value) {
                errors.append(FieldError(field: name, message: message))
                continue
            }
            sql.append(" AND \(column) = \(sql.bind(value))")
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        if let q = request.query {
            let needle = sql.bind(q)
            sql.append(" AND (strpos(name, \(needle)) > 0 OR starts_with(code, \(needle)))")
        }
        if let after = request.after { sql.append(" AND code > \(sql.bind(after))") }
        sql.append(" ORDER BY code LIMIT \(sql.bind(request.limit + 1))")
        let query = sql.query
        let rows = try await read { connection in try await connection.query(query, logger: logger).decode((String, String).self).all() }
        let page = rows.prefix(request.limit)
        return Page(items: page.map(\.0), nextCursor: rows.count > request.limit ? page.last.map { Cursor.encode($0.1) } : nil)
    }

    /// Loads the GB/T 2260 list (parents first); a no-op when it is already there.
    public func loadRegions(_ regions: [Region]) async throws -> Int {
        try await transaction { connection in
            let codes = regions.map(\.code)
            let names = regions.map(\.name)
            let parents = regions.map { $0.parentCode ?? "" }
            let rows = try await connection.query(
                """
                INSERT INTO regions (code, name, parent_code)
                SELECT c, n, nullif(p, '') FROM unnest(\(codes)::text[], \(names)::text[], \(parents)::text[]) AS x(c, n, p)
                ORDER BY length(rtrim(c, '0')), c
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, parent_code = excluded.parent_code
                WHERE (regions.name, regions.parent_code) IS DISTINCT FROM (excluded.name, excluded.parent_code)
                RETURNING code
                """, logger: logger
            ).decode(String.self).all()
            return rows.count
        }
    }

    /// The taxonomy importer (also behind `POST /v1/imports/{skills|specialties|occupations}`):
    /// upserts by code, checks references against the database and the file itself; a row equal
    /// to its code's record is unchanged. With an `actor` (an API import) it is a write like any
    /// other, with its audit row; loading the shipped lists at start-up has none.
    public func importTaxonomy(_ kind: TaxonomyKind, text: String, mode: ImportMode, actor: WriteActor? = nil) async throws -> ImportReport {
        let parsed = TaxonomyFile.parse(kind, text: text)
        guard let actor else {
            return try await transaction { connection in try await upsertTaxonomy(kind, parsed, mode: mode, on: connection) }
        }
        return try await writeImport(kind.rawValue, actor: actor) { connection, _ in
            let report = try await upsertTaxonomy(kind, parsed, mode: mode, on: connection)
            // A refused file writes nothing, not even its audit row.
            if mode == .allOrNothing && !report.errors.isEmpty { throw ImportRefused(report: report) }
            return (report, [])
        }
    }

    private func upsertTaxonomy(_ kind: TaxonomyKind, _ parsed: TaxonomyFile, mode: ImportMode, on connection: PostgresConnection) async throws -> ImportReport {
        var file = parsed
        try await checkTaxonomyReferences(kind, &file, on: connection)
        let total = file.rows.count + file.rejectedLines.count
        if mode == .allOrNothing && !file.errors.isEmpty {
            return ImportReport(accepted: 0, rejected: total, errors: file.errors)
        }
        // Groups before skills, so a parent always exists when its children arrive.
        let rows = file.rows.sorted { ($0.parent == nil ? 0 : 1, $0.line) < ($1.parent == nil ? 0 : 1, $1.line) }
        let codes = rows.map(\.code)
        let names = rows.map(\.name)
        let changed: Int
        switch kind {
        case .skills:
            let parents = rows.map { $0.parent ?? "" }
            changed = try await connection.query(
                """
                INSERT INTO skills AS t (code, name, parent)
                SELECT c, n, nullif(p, '') FROM unnest(\(codes)::text[], \(names)::text[], \(parents)::text[]) WITH ORDINALITY AS x(c, n, p, i)
                ORDER BY i
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, parent = excluded.parent
                WHERE (t.name, t.parent) IS DISTINCT FROM (excluded.name, excluded.parent)
                RETURNING code
                """, logger: logger
            ).decode(String.self).all().count
        case .occupations:
            changed = try await connection.query(
                """
                INSERT INTO occupations AS t (code, name) SELECT * FROM unnest(\(codes)::text[], \(names)::text[])
                ON CONFLICT (code) DO UPDATE SET name = excluded.name WHERE t.name IS DISTINCT FROM excluded.name
                RETURNING code
                """, logger: logger
            ).decode(String.self).all().count
        case .specialties:
            let levels = rows.map { $0.level?.rawValue ?? "" }
            let related = rows.map { $0.related.joined(separator: ";") }
            changed = try await connection.query(
                """
                INSERT INTO specialties AS t (code, name, level, related_occupation_codes)
                SELECT c, n, l, string_to_array(nullif(r, ''), ';')
                FROM unnest(\(codes)::text[], \(names)::text[], \(levels)::text[], \(related)::text[]) AS x(c, n, l, r)
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
                    related_occupation_codes = excluded.related_occupation_codes
                WHERE (t.name, t.level, t.related_occupation_codes)
                      IS DISTINCT FROM (excluded.name, excluded.level, excluded.related_occupation_codes)
                RETURNING code
                """, logger: logger
            ).decode(String.self).all().count
        }
        return ImportReport(accepted: changed, unchanged: rows.count - changed, rejected: file.rejectedLines.count, errors: file.errors)
    }

    /// Skill parents and related occupations must exist, in the database or in the same file.
    private func checkTaxonomyReferences(_ kind: TaxonomyKind, _ file: inout TaxonomyFile, on connection: PostgresConnection) async throws {
        let needed: [(line: Int, field: String, code: String)]
        let table: String
        switch kind {
        case .skills:
            needed = file.rows.compactMap { row in row.parent.map { (row.line, "parent", $0) } }
            table = "skills"
        case .specialties:
            needed = file.rows.flatMap { row in row.related.map { (row.line, "related_occupation_codes", $0) } }
            table = "occupations"
        case .occupations:
            return
        }
        let inFile = Set(file.rows.map(\.code))
        let candidates = Array(Set(needed.map(\.code)).subtracting(inFile))
        var sql = SQLComposer("SELECT code FROM \(table) WHERE code = ANY(")
        sql.append(sql.bind(candidates) + "::text[])")
        let existing = Set(try await connection.query(sql.query, logger: logger).decode(String.self).all())
        var badLines: Set<Int> = []
        for item in needed where !inFile.contains(item.code) && !existing.contains(item.code) {
            file.errors.append(.init(row: item.line, field: item.field, message: "\(item.code) does not exist in the \(table) taxonomy"))
            badLines.insert(item.line)
        }
        file.rows.removeAll { badLines.contains($0.line) }
        file.rejectedLines.formUnion(badLines)
    }
}
