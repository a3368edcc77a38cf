import ChanjiaoDomain
import Foundation
import PostgresNIO

/// A resource as a type, so each gets its own prepared statement (their SQL differs).
protocol ResourceKind: Sendable {
    static var resource: Resource { get }
}

enum EnterprisesKind: ResourceKind { static let resource = Resource.enterprises }
enum CollegesKind: ResourceKind { static let resource = Resource.colleges }
enum ProgramsKind: ResourceKind { static let resource = Resource.programs }
enum DemandsKind: ResourceKind { static let resource = Resource.demands }
enum TalentsKind: ResourceKind { static let resource = Resource.talents }

/// The single-record read, the hottest query: prepared once per connection, then only bound
/// and executed.
struct DocumentStatement<Kind: ResourceKind>: PostgresPreparedStatement {
    typealias Row = (String, Int, Bool)

    static var name: String { "document_\(Kind.resource.rawValue)" }
    static var sql: String {
        """
        SELECT \(Kind.resource.document)::text, r.version, \(Kind.resource.isPublic)
        FROM \(Kind.resource.table) r WHERE r.id = $5 AND \(Kind.resource.visible)
        """
    }

    let caller: Caller
    let id: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = SQLComposer(caller: caller).binds
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

extension Store {
    func prepared<Kind: ResourceKind>(_ kind: Kind.Type, id: UUID, caller: Caller) async throws -> [(String, Int, Bool)] {
        let statement = DocumentStatement<Kind>(caller: caller, id: id)
        return try await read { connection in try await connection.execute(statement, logger: logger).all() }
    }
}
