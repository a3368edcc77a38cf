import Foundation

/// Collects every broken rule of one request, so a client fixes them all in one round.
public final class ValidationLog {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public func add(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// Throws the collected errors as one 422 problem, if there are any.
    public func check() throws(Problem) {
        if !errors.isEmpty { throw Problem.invalid(errors) }
    }
}

/// Reads the members of one JSON object with type and range checks, logging each failure under
/// its JSON path. Accessors return nil when the value is missing or wrong; the log decides.
public struct FieldReader {
    public let path: String
    public let log: ValidationLog
    private let members: [String: JSONValue]
    /// False when the value was not an object: that one error says it all.
    private let isObject: Bool

    public init(_ value: JSONValue, path: String = "", log: ValidationLog) {
        self.path = path
        self.log = log
        if case .object(let members) = value {
            self.members = members
            self.isObject = true
        } else {
            self.members = [:]
            self.isObject = false
            log.add(path.isEmpty ? "$" : path, "must be a JSON object, not \(value.typeName)")
        }
    }

    public func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    public func has(_ name: String) -> Bool { members[name] != nil && members[name] != .null }

    public func raw(_ name: String) -> JSONValue? { members[name] }

    /// Rejects members the resource does not have, so a typo never silently does nothing.
    public func rejectUnknown(allowed: Set<String>, readOnly: Set<String> = []) {
        for key in members.keys.sorted() where !allowed.contains(key) {
            log.add(field(key), readOnly.contains(key) ? "is read-only" : "is not a known field")
        }
    }

    private func value(_ name: String, required: Bool) -> JSONValue? {
        guard let value = members[name], value != .null else {
            if required && isObject { log.add(field(name), "is required") }
            return nil
        }
        return value
    }

    public func string(
        _ name: String, required: Bool = true, maxLength: Int = 200, minLength: Int = 1
    ) -> String? {
        guard let value = value(name, required: required) else { return nil }
        guard case .string(let raw) = value else {
            log.add(field(name), "must be a string, not \(value.typeName)")
            return nil
        }
        let text = TextRules.trimmed(raw)
        if TextRules.hasControlBesidesLineFeed(text) {
            log.add(field(name), TextRules.controlMessage)
            return nil
        }
        let length = TextRules.length(text)
        if length < minLength {
            log.add(field(name), minLength == 1 ? "must not be empty" : "must have at least \(minLength) characters")
            return nil
        }
        if length > maxLength {
            log.add(field(name), "must have at most \(maxLength) characters")
            return nil
        }
        return text
    }

    public func uuid(_ name: String, required: Bool = true) -> UUID? {
        guard let text = string(name, required: required, maxLength: 36) else { return nil }
        guard let id = UUID(uuidString: text) else {
            log.add(field(name), "must be a UUID")
            return nil
        }
        return id
    }

    public func int(_ name: String, required: Bool = true, range: ClosedRange<Int>) -> Int? {
        guard let value = value(name, required: required) else { return nil }
        let number: Int
        switch value {
        case .int(let n): number = n
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: number = Int(d)
        default:
            log.add(field(name), "must be an integer, not \(value.typeName)")
            return nil
        }
        guard range.contains(number) else {
            log.add(field(name), "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return number
    }

    public func bool(_ name: String, required: Bool = true) -> Bool? {
        guard let value = value(name, required: required) else { return nil }
        guard case .bool(let flag) = value else {
            log.add(field(name), "must be true or false, not \(value.typeName)")
            return nil
        }
        return flag
    }

    public func enumValue<E: RawRepresentable & CaseIterable>(
        _ name: String, _ type: E.Type, required: Bool = true
    ) -> E? where E.RawValue == String {
        guard let value = value(name, required: required) else { return nil }
        guard case .string(let raw) = value, let result = E(rawValue: raw) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            log.add(field(name), "must be one of: \(allowed)")
            return nil
        }
        return result
    }

    /// A calendar date `YYYY-MM-DD`, returned in that canonical form.
    public func date(_ name: String, required: Bool = true) -> String? {
        guard let text = string(name, required: required, maxLength: 10) else { return nil }
        guard CalendarDate.isValid(text) else {
            log.add(field(name), "must be a date YYYY-MM-DD of the years \(CalendarDate.years.lowerBound)–\(CalendarDate.years.upperBound)")
            return nil
        }
        return text
    }

    /// An ISO 8601 UTC timestamp such as `2026-11-29T08:00:00Z`.
    public func timestamp(_ name: String, required: Bool = true) -> Date? {
        guard let text = string(name, required: required, maxLength: 40) else { return nil }
        guard let date = Timestamp.parse(text) else {
            log.add(field(name), "must be an ISO 8601 timestamp such as 2026-11-29T08:00:00Z, in the years \(CalendarDate.years.lowerBound) to \(CalendarDate.years.upperBound)")
            return nil
        }
        return date
    }

    public func object(_ name: String, required: Bool = true) -> FieldReader? {
        guard let value = value(name, required: required) else { return nil }
        return FieldReader(value, path: field(name), log: log)
    }

    /// The elements of an array member, each with its own path `name[i]`.
    public func array(_ name: String, required: Bool = true, maxCount: Int = 100) -> [(path: String, value: JSONValue)]? {
        guard let value = value(name, required: required) else { return nil }
        guard case .array(let items) = value else {
            log.add(field(name), "must be an array, not \(value.typeName)")
            return nil
        }
        guard items.count <= maxCount else {
            log.add(field(name), "must have at most \(maxCount) items")
            return nil
        }
        return items.enumerated().map { ("\(field(name))[\($0.offset)]", $0.element) }
    }

    /// An array of strings, each checked by `check` (which returns an error message or nil).
    public func stringArray(
        _ name: String, required: Bool = true, maxCount: Int = 100, unique: Bool = true,
        check: (String) -> String? = { _ in nil }
    ) -> [String]? {
        guard let items = array(name, required: required, maxCount: maxCount) else { return nil }
        var result: [String] = []
        var ok = true
        for (itemPath, item) in items {
            guard case .string(let text) = item else {
                log.add(itemPath, "must be a string, not \(item.typeName)")
                ok = false
                continue
            }
            if let message = check(text) {
                log.add(itemPath, message)
                ok = false
            } else if unique && result.contains(text) {
                log.add(itemPath, "\(text) is listed twice")
                ok = false
            } else {
                result.append(text)
            }
        }
        return ok ? result : nil
    }
}
