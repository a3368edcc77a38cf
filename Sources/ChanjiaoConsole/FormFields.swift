import ChanjiaoDomain

/// A submitted HTML form (`application/x-www-form-urlencoded`), turned into the JSON body the
/// API's route would take, so the same input reader validates it and reports the same errors.
public struct FormFields: Sendable {
    /// How a field becomes JSON: text as a string (trimmed, as the readers trim it), a secret
    /// as it was typed, an integer as a number when it is one (else left as text, so the reader
    /// reports the field), a checkbox as a boolean.
    public enum Kind: Sendable {
        case text, secret, integer, checkbox
    }

    public private(set) var values: [String: String] = [:]

    /// Parses the body; a malformed escape or a field given twice is refused (nil).
    public init?(body: String) {
        guard !body.isEmpty else { return }
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else { return nil }
            guard values[name] == nil else { return nil }
            values[name] = value
        }
    }

    public subscript(_ name: String) -> String? { values[name] }

    /// The JSON object of the `fields` named (dotted names nest: `decision.outcome`); an empty
    /// text field is left out, as a client leaves out what it does not send.
    public func json(_ fields: [String: Kind]) -> JSONValue {
        var root: [String: JSONValue] = [:]
        for (name, kind) in fields {
            let raw = kind == .secret ? values[name] ?? "" : TextRules.trimmed(values[name] ?? "")
            let value: JSONValue
            switch kind {
            case .checkbox:
                value = .bool(raw == "on" || raw == "true")
            case .integer:
                guard !raw.isEmpty else { continue }
                value = Int(raw).map(JSONValue.int) ?? .string(raw)
            case .text, .secret:
                guard !raw.isEmpty else { continue }
                value = .string(raw)
            }
            Self.insert(value, at: name.split(separator: ".").map(String.init), into: &root)
        }
        return .object(root)
    }

    private static func insert(_ value: JSONValue, at path: [String], into object: inout [String: JSONValue]) {
        guard let first = path.first else { return }
        if path.count == 1 {
            object[first] = value
            return
        }
        var child: [String: JSONValue] = [:]
        if case .object(let existing)? = object[first] { child = existing }
        insert(value, at: Array(path.dropFirst()), into: &child)
        object[first] = .object(child)
    }

    /// `+` is a space; `%XX` a byte; the bytes must be UTF-8.
    private static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
