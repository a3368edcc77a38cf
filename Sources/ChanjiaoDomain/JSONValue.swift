import Foundation

/// A parsed JSON document, kept untyped so validation can report every wrong field by its
/// path instead of stopping at the first type mismatch the way `Decodable` does.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses UTF-8 JSON strictly (`JSONParser`); a syntax error, a duplicate member or
    /// nesting deeper than 32 levels is a 400 problem.
    public static func parse(_ data: Data) throws(Problem) -> JSONValue {
        try JSONParser.parse(data)
    }

    /// An object's member (nil for a missing member or a value that is not an object).
    public subscript(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// RFC 7396 JSON merge patch: members of `patch` replace ours, `null` removes them. A
    /// target that is not an object (absent, `null`, a scalar) counts as `{}` (RFC 7396 §2), so
    /// the recursion goes only as deep as the patch itself.
    public func merging(patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var base: [String: JSONValue] = [:]
        if case .object(let members) = self { base = members }
        for (key, value) in changes {
            if value == .null {
                base.removeValue(forKey: key)
            } else {
                base[key] = (base[key] ?? .null).merging(patch: value)
            }
        }
        return .object(base)
    }

    /// Every string (member names included) holding a character that PostgreSQL cannot store
    /// or that no field of ours accepts: NUL and the other C0 controls but tab, CR and LF.
    /// Each is reported at its JSON path, as the field readers report theirs; paths are made
    /// only for what is reported.
    public func forbiddenCharacterErrors() -> [FieldError] {
        var errors: [FieldError] = []
        var location: [JSONPath.Step] = []
        func visit(_ value: JSONValue) {
            switch value {
            case .string(let text) where TextRules.hasForbiddenControl(text):
                errors.append(FieldError(field: JSONPath.text(location), message: TextRules.controlMessage))
            case .array(let items):
                for (index, item) in items.enumerated() {
                    location.append(.item(index))
                    visit(item)
                    location.removeLast()
                }
            case .object(let members):
                for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                    location.append(.member(key))
                    if TextRules.hasForbiddenControl(key) {
                        errors.append(FieldError(field: JSONPath.text(location), message: "the member name " + TextRules.controlMessage))
                    } else {
                        visit(member)
                    }
                    location.removeLast()
                }
            default:
                break
            }
        }
        visit(self)
        return errors
    }
}

extension JSONValue {
    /// Compact JSON text, written directly (`JSONEncoder` costs tens of microseconds a value,
    /// which audit and outbox rows of a 100,000-row import cannot pay). Non-ASCII is written as
    /// UTF-8; quotes, backslashes and control characters are escaped.
    public var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value): out += value.isFinite ? "\(value)" : "null"
        case .string(let value): Self.writeString(value, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            var first = true
            for (key, value) in members {
                if !first { out += "," }
                first = false
                Self.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ value: String, to out: inout String) {
        out += "\""
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Responses are encoded with `JSONEncoder`; requests are parsed by `JSONParser`, never decoded.
extension JSONValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
