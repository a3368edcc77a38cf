import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Builds a query from fixed SQL fragments written in this module and bound values. Values are
/// never spliced into the text: `bind` appends a parameter and returns its placeholder.
struct SQLComposer {
    private(set) var sql: String
    private(set) var binds = PostgresBindings()
    /// Codes the filters name (a `region_code`), which must exist: whoever runs the query checks
    /// them first (`Store.checkReferences`), so an unknown one is a 422, not an empty list.
    var references: [CodeReference] = []

    init(_ sql: String = "") { self.sql = sql }

    mutating func append(_ fragment: String) {
        sql += fragment
    }

    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}

extension UUID {
    /// 00000000-…: stands for "no organization" in bound predicates and "before the first id"
    /// in cursors.
    static let zero = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}
