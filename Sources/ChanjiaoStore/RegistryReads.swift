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
        let rows = try await prepared(resource, ids: [id], caller: caller)
        guard let (_, json, version, isPublic) = rows.first else { throw Problem.notFound("\(resource.singular) \(id.text)") }
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
        pageCache.invalidateAll()
    }

    /// Forgets every cached public document and page: a change that may touch any of them
    /// (an organization's status, a bulk change elsewhere, notices perhaps missed).
    func forgetPublicDocuments() {
        documentCache.invalidateAll()
        pageCache.invalidateAll()
    }

    /// A page of records ordered by id, filtered by the request's parameters.
    public func list(_ resource: Resource, _ request: ListRequest, caller: Caller) async throws -> Page {
        let key = PublicPageKey(resource, request, caller: caller)
        if let key, let page = pageCache.value(key) { return page }
        let epoch = pageCache.epoch
        let page = try await page(try listQuery(resource, request, caller: caller), after: request.after, limit: request.limit, key: "r.id")
        if let key { pageCache.remember(page, key, readAt: epoch) }
        return page
    }

    /// The documents and ids of the records a list shows the caller (those `visible` names,
    /// by default the list's own), filtered by the request: what the list pages and the export
    /// streams.
    func listQuery(_ resource: Resource, _ request: ListRequest, caller: Caller, visible: String? = nil) throws -> SQLComposer {
        var sql = SQLComposer(caller: caller)
        sql.append("SELECT \(resource.document)::text, r.id FROM \(resource.table) r WHERE \(visible ?? resource.visible)")
        try sql.appendFilters(
            request, of: resource.rawValue, resource.filters, search: resource.searchColumn, archived: resource.archived.map(ArchivedFilter.column) ?? .ignored)
        return sql
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
        for (id, json, version, isPublic) in try await prepared(resource, ids: missing, caller: caller) {
            found[id] = json
            if cached && isPublic { documentCache.remember(Document(json: json, version: version), resource, id, readAt: epoch) }
        }
        return found
    }
}
