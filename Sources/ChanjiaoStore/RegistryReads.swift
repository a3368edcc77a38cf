import ChanjiaoDomain
import Foundation
import PostgresNIO

/// A record as the caller may see it: its JSON document and version.
public struct Document: Sendable {
    public var json: String
    public var version: Int

    public init(json: String, version: Int) {
        self.json = json
        self.version = version
    }
}

extension SQLComposer {
    /// Binds the caller as `$1`…`$4`, the parameters every `Resource` predicate uses.
    init(caller: Caller, _ sql: String = "") {
        self.init(sql)
        _ = bind(caller.sqlRole)
        _ = bind(caller.organizationID ?? UUID.zero)
        _ = bind(caller.regionCode ?? "")
        _ = bind(caller.source ?? "")
    }
}

extension Store {
    /// One record, or a 404 when it does not exist or the caller may not know it exists.
    public func document(_ resource: Resource, id: UUID, caller: Caller) async throws -> Document {
        let cached = DocumentCache.caches(resource)
        if cached, let document = documentCache.document(resource, id) { return document }
        let epoch = documentCache.epoch
        let rows: [(String, Int, Bool)]
        switch resource {
        case .enterprises: rows = try await prepared(EnterprisesKind.self, id: id, caller: caller)
        case .colleges: rows = try await prepared(CollegesKind.self, id: id, caller: caller)
        case .programs: rows = try await prepared(ProgramsKind.self, id: id, caller: caller)
        case .demands: rows = try await prepared(DemandsKind.self, id: id, caller: caller)
        case .talents: rows = try await prepared(TalentsKind.self, id: id, caller: caller)
        }
        guard let (json, version, isPublic) = rows.first else { throw Problem.notFound("\(resource.singular) \(id.text)") }
        let document = Document(json: json, version: version)
        if cached && isPublic { documentCache.remember(document, resource, id, readAt: epoch) }
        return document
    }

    /// Tells the caches that a record changed (call after the change commits).
    public func changed(_ resource: Resource, id: UUID) {
        // Only cached kinds: every invalidation bumps the cache's epoch, which makes reads in
        // flight drop their result, and talents change in bulk.
        guard DocumentCache.caches(resource) else { return }
        documentCache.invalidate(resource, id)
    }

    /// A page of records ordered by id, filtered by the request's parameters.
    public func list(_ resource: Resource, _ request: ListRequest, caller: Caller) async throws -> Page {
        var sql = SQLComposer(caller: caller)
        sql.append("SELECT \(resource.document)::text, r.id FROM \(resource.table) r WHERE \(resource.visible)")
        try appendFilters(resource, request, to: &sql)
        return try await page(sql, after: request.after, limit: request.limit, key: "r.id")
    }

    private func appendFilters(_ resource: Resource, _ request: ListRequest, to sql: inout SQLComposer) throws {
        let known = Set(resource.filters.map(\.parameter))
        var errors: [FieldError] = []
        for name in request.filters.keys.sorted() where !known.contains(name) {
            let allowed = (resource.filters.map(\.parameter) + ["q", "limit", "after", "archived"]).joined(separator: ", ")
            errors.append(FieldError(field: name, message: "is not a filter of \(resource.rawValue); use one of: \(allowed)"))
        }
        for filter in resource.filters {
            guard let value = request.filters[filter.parameter] else { continue }
            switch filter.kind {
            case .exact:
                sql.append(" AND \(filter.column) = \(sql.bind(value))")
            case .prefix:
                sql.append(" AND starts_with(\(filter.column), \(sql.bind(value)))")
            case .uuid:
                guard let id = UUID(uuidString: value) else {
                    errors.append(FieldError(field: filter.parameter, message: "must be a UUID"))
                    continue
                }
                sql.append(" AND \(filter.column) = \(sql.bind(id))")
            case .region, .regionAny:
                guard RegionCatalog.isWellFormed(value) else {
                    errors.append(FieldError(field: filter.parameter, message: "must be a 6-digit region code"))
                    continue
                }
                let range = RegionRange(value)
                if case .region = filter.kind, range.low == range.high {
                    sql.append(" AND \(filter.column) = \(sql.bind(value))")
                } else if case .region = filter.kind {
                    sql.append(" AND \(filter.column) BETWEEN \(sql.bind(range.low)) AND \(sql.bind(range.high))")
                } else {
                    sql.append(
                        " AND EXISTS (SELECT 1 FROM unnest(\(filter.column)) AS c WHERE c BETWEEN \(sql.bind(range.low)) AND \(sql.bind(range.high)))")
                }
            case .oneOf(let allowed), .arrayContains(let allowed):
                guard allowed.contains(value) else {
                    errors.append(FieldError(field: filter.parameter, message: "must be one of: \(allowed.joined(separator: ", "))"))
                    continue
                }
                if case .oneOf = filter.kind {
                    sql.append(" AND \(filter.column) = \(sql.bind(value))")
                } else {
                    sql.append(" AND \(sql.bind(value)) = ANY(\(filter.column))")
                }
            }
        }
        if let q = request.query {
            if let column = resource.searchColumn {
                // The gram index narrows the rows; strpos keeps only true substrings.
                let needle = sql.bind(q)
                sql.append(" AND \(column.grams) @> search_query_grams(\(needle)) AND strpos(lower(\(column.text)), lower(\(needle))) > 0")
            } else {
                errors.append(FieldError(field: "q", message: "\(resource.rawValue) have no text search"))
            }
        }
        if let archived = resource.archived {
            sql.append(request.archived ? " AND \(archived)" : " AND NOT (\(archived))")
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
    }
}

/// A region code as a range of county codes: 411200 covers 411200…411299, 410000 the province.
struct RegionRange {
    let low: String
    let high: String

    init(_ code: String) {
        let digits = Array(code)
        let prefix: String
        if code.hasSuffix("0000") {
            prefix = String(digits[0..<2])
        } else if code.hasSuffix("00") {
            prefix = String(digits[0..<4])
        } else {
            prefix = code
        }
        self.init(prefix: prefix)
    }

    /// Every county code starting with `prefix` ("" for all).
    init(prefix: String) {
        low = prefix.padding(toLength: 6, withPad: "0", startingAt: 0)
        high = prefix.padding(toLength: 6, withPad: "9", startingAt: 0)
    }
}

extension Store {
    /// Whether the caller may read the record's matches: its owner, the bureau, a viewer; 404
    /// when it may not even see the record.
    public func requireOwner(_ resource: Resource, id: UUID, caller: Caller) async throws {
        var sql = SQLComposer(caller: caller)
        sql.append("SELECT (\(resource.writable) OR $1 = 'viewer') FROM \(resource.table) r WHERE r.id = \(sql.bind(id)) AND \(resource.visible)")
        let query = sql.query
        let rows = try await read { connection in try await connection.query(query, logger: logger).decode(Bool.self).all() }
        guard let writable = rows.first else { throw Problem.notFound("\(resource.singular) \(id.text)") }
        guard writable else { throw Problem.forbidden("only the owner of this \(resource.singular) or the bureau may see its matches") }
    }

    /// Several records at once, as the caller may see them (invisible ones are left out).
    public func documents(_ resource: Resource, ids: [UUID], caller: Caller) async throws -> [UUID: String] {
        var found: [UUID: String] = [:]
        let cached = DocumentCache.caches(resource)
        var missing: [UUID] = []
        for id in ids {
            if cached, let document = documentCache.document(resource, id) { found[id] = document.json } else { missing.append(id) }
        }
        guard !missing.isEmpty else { return found }
        let epoch = documentCache.epoch
        var sql = SQLComposer(caller: caller)
        sql.append(
            "SELECT r.id, \(resource.document)::text, r.version, \(resource.isPublic) FROM \(resource.table) r WHERE r.id = ANY(\(sql.bind(missing))) AND \(resource.visible)")
        let query = sql.query
        let rows = try await read { connection in try await connection.query(query, logger: logger).decode((UUID, String, Int, Bool).self).all() }
        for (id, json, version, isPublic) in rows {
            found[id] = json
            if cached && isPublic { documentCache.remember(Document(json: json, version: version), resource, id, readAt: epoch) }
        }
        return found
    }
}
