import ChanjiaoDomain

/// Reading the API's documents for a page: a missing or differently typed member reads as
/// empty, so a page shows what is there.
extension JSONValue {
    /// The value as a page shows it (`text` is the JSON).
    var shown: String {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): value ? "是" : "否"
        default: ""
        }
    }

    var integer: Int {
        switch self {
        case .int(let value): value
        case .double(let value): Int(value)
        default: 0
        }
    }

    var real: Double {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: 0
        }
    }

    public var elements: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    /// The member at a dotted path, or `.null`.
    public func at(_ path: String) -> JSONValue {
        var value = self
        for key in path.split(separator: ".") {
            guard let next = value[String(key)] else { return .null }
            value = next
        }
        return value
    }

    public func string(_ path: String) -> String { at(path).shown }
    public func int(_ path: String) -> Int { at(path).integer }
}
