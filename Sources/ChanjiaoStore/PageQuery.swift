import ChanjiaoDomain
import Foundation
import PostgresNIO

/// A list's sort key as its cursor carries it: an id, an audit row's number, or a text key
/// (a county's targets by region code).
protocol PageKey: PostgresDecodable, PostgresDynamicTypeEncodable, Sendable {
    init?(cursor: String)
    var cursor: String { get }
}

extension UUID: PageKey {
    init?(cursor: String) { self.init(uuidString: cursor) }
    var cursor: String { uuidString.lowercased() }
}

extension String: PageKey {
    init?(cursor: String) { self = cursor }
    var cursor: String { self }
}

extension Int64: PageKey {
    init?(cursor: String) { self.init(cursor) }
    var cursor: String { String(self) }
}

extension Store {
    /// One page of a list whose query (`sql`, selecting the document and `key`, already
    /// filtered) is ordered by the single column `key`: resumes after the cursor, fetches one
    /// row more than `limit` to know whether another page follows.
    func page<Key: PageKey>(
        _ sql: SQLComposer, after: String?, limit: Int, key: String, as _: Key.Type = UUID.self, descending: Bool = false
    ) async throws -> Page {
        var sql = sql
        if let after {
            guard let last = Key(cursor: after) else { throw Problem.invalid(field: "after", "is not a cursor of this list") }
            sql.append(" AND \(key) \(descending ? "<" : ">") \(sql.bind(last))")
        }
        sql.append(" ORDER BY \(key)\(descending ? " DESC" : "") LIMIT \(sql.bind(limit + 1))")
        let (query, references) = (sql.query, sql.references)
        let rows = try await read { connection in
            try await checkReferences(references, on: connection)
            return try await connection.query(query, logger: logger).decode((String, Key).self).all()
        }
        let items = rows.prefix(limit)
        let next = rows.count > limit ? items.last.map { Cursor.encode($0.1.cursor) } : nil
        return Page(items: items.map(\.0), nextCursor: next)
    }

    /// One workflow record (`<singular>_doc(r)` of table `<singular>s`) with its version, when
    /// the caller may see it (`visible`, bound like every resource query); 404 otherwise.
    func visibleDocument(_ singular: String, id: UUID, caller: Caller, visible: String = "true") async throws -> Document {
        var sql = SQLComposer(caller: caller)
        sql.append("SELECT \(singular)_doc(r)::text, r.version FROM \(singular)s r WHERE r.id = \(sql.bind(id)) AND \(visible)")
        let query = sql.query
        let rows = try await read { connection in try await connection.query(query, logger: logger).decode((String, Int).self).all() }
        guard let (json, version) = rows.first else { throw Problem.notFound("\(singular) \(id.text)") }
        return Document(json: json, version: version)
    }
}
