import Foundation

/// What a client asks of a list: a page size, where to resume, and filters by field name.
public struct ListRequest: Sendable {
    public var limit: Int
    /// The sort key of the last record already seen (decoded from the opaque cursor).
    public var after: String?
    public var filters: [String: String]
    public var query: String?
    public var archived: Bool
    /// False for an export, which has no pages: its refusals do not offer `limit` and `after`.
    public var paged = true

    public init(limit: Int = 50, after: String? = nil, filters: [String: String] = [:], query: String? = nil, archived: Bool = false) {
        self.limit = limit
        self.after = after
        self.filters = filters
        self.query = query
        self.archived = archived
    }

    public static let maxLimit = 200

    /// For lists that take no filters: every filter, text search and `archived` is a 422.
    public func requireNoFilters(of list: String) throws(Problem) {
        var errors = filters.keys.sorted().map { FieldError(field: $0, message: "is not a parameter of \(list)") }
        if query != nil { errors.append(FieldError(field: "q", message: "\(list) has no text search")) }
        if archived { errors.append(FieldError(field: "archived", message: "\(list) has no archived records")) }
        if !errors.isEmpty { throw Problem.invalid(errors) }
    }
}

/// One page of JSON documents and the opaque cursor of the next page, if there is one.
public struct Page: Sendable {
    public var items: [String]
    public var nextCursor: String?

    public init(items: [String], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// Opaque list cursors: the sort key of a page's last record, base64url-encoded so clients
/// don't build them.
public enum Cursor {
    public static func encode(_ id: UUID) -> String { encode(id.uuidString.lowercased()) }

    public static func encode(_ key: String) -> String {
        Data(key.utf8).base64URLEncoded
    }

    public static func decode(_ text: String) -> String? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.utf8.count <= 200, let data = Data(base64Encoded: base64),
            let key = String(data: data, encoding: .utf8), !TextRules.hasForbiddenControl(key)
        else { return nil }
        return key
    }
}

extension UUID {
    /// The id as the API writes it everywhere: lower case.
    public var text: String { uuidString.lowercased() }
}
