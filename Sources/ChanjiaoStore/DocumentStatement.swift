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

extension Resource {
    /// The resource as its `ResourceKind`, to pick its prepared statement.
    var kind: any ResourceKind.Type {
        switch self {
        case .enterprises: EnterprisesKind.self
        case .colleges: CollegesKind.self
        case .programs: ProgramsKind.self
        case .demands: DemandsKind.self
        case .talents: TalentsKind.self
        }
    }
}

/// Records by id, the hottest query (a single read; a recommendation's talents, which are never
/// cached): prepared once per connection, then only bound and executed. Parsing and planning
/// the document's SQL anew cost more than running it.
struct DocumentStatement<Kind: ResourceKind>: PostgresPreparedStatement {
    typealias Row = (UUID, String, Int, Bool)

    static var name: String { "documents_\(Kind.resource.rawValue)" }
    static var sql: String {
        """
        SELECT r.id, \(Kind.resource.document)::text, r.version, \(Kind.resource.isPublic)
        FROM \(Kind.resource.table) r WHERE r.id = ANY($5) AND \(Kind.resource.visible)
        """
    }

    let caller: Caller
    let ids: [UUID]

    func makeBindings() throws -> PostgresBindings {
        var bindings = SQLComposer(caller: caller).binds
        bindings.append(ids)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

extension Store {
    /// The records among `ids` that the caller may see, each with its document, version and
    /// whether it is public.
    func prepared(_ resource: Resource, ids: [UUID], caller: Caller) async throws -> [(UUID, String, Int, Bool)] {
        try await prepared(resource.kind, ids: ids, caller: caller)
    }

    private func prepared<Kind: ResourceKind>(_ kind: Kind.Type, ids: [UUID], caller: Caller) async throws -> [(UUID, String, Int, Bool)] {
        let statement = DocumentStatement<Kind>(caller: caller, ids: ids)
        return try await read { connection in try await connection.execute(statement, logger: logger).all() }
    }
}
