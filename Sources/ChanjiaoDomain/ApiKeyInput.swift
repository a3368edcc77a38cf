import Foundation

/// A new partner API key: what it may do (scopes) and what it is bound to. A key that writes
/// talents is bound to their source; one that writes programs, to a college. The others need
/// no binding (an unbound key sees public records; with a source, also that source's talents).
public struct ApiKeyInput: Sendable, Equatable {
    public var name: String
    public var scopes: [Scope]
    public var source: String?
    public var organizationID: UUID?

    public static func read(_ json: JSONValue) throws(Problem) -> ApiKeyInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["name", "scopes", "source", "organization_id"])
        let name = reader.string("name", maxLength: 100)
        let allowed = Scope.allCases.map(\.rawValue)
        let texts = reader.stringArray("scopes", maxCount: allowed.count) { text in
            allowed.contains(text) ? nil : "must be one of: \(allowed.joined(separator: ", "))"
        }
        if let texts, texts.isEmpty { log.add("scopes", "must name at least one scope") }
        let scopes = texts?.compactMap(Scope.init(rawValue:)) ?? []
        let source = reader.string("source", required: false, maxLength: 64)
        if let source, !TalentInput.isSourceName(source) {
            log.add("source", "must be lower-case letters, digits, '-' or '_' (2–64)")
        }
        let organization = reader.uuid("organization_id", required: false)
        if scopes.contains(.talentsWrite) && source == nil && !reader.has("source") {
            log.add("source", "is required for a key with talents:write (the talent source it writes)")
        }
        if scopes.contains(.programsWrite) && organization == nil && !reader.has("organization_id") {
            log.add("organization_id", "is required for a key with programs:write (the college whose programs it writes)")
        }
        try log.check()
        return ApiKeyInput(name: name!, scopes: scopes, source: source, organizationID: organization)
    }
}
