/// A code in a request that must exist in reference data; the store checks them all at once
/// and reports each unknown one at its field path.
public struct CodeReference: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case region, skill, occupation, specialty
    }

    /// What the reference names, whichever field names it: a bulk check looks each up once.
    public struct Key: Hashable, Sendable {
        public var kind: Kind
        public var code: String
    }

    public var key: Key { Key(kind: kind, code: code) }

    public var kind: Kind
    public var code: String
    public var field: String

    public init(_ kind: Kind, _ code: String, field: String) {
        self.kind = kind
        self.code = code
        self.field = field
    }

    public var message: String {
        switch kind {
        case .region: "\(code) is not a GB/T 2260 region code"
        case .skill: "\(code) is not a skill in the taxonomy (skill groups are not allowed)"
        case .occupation: "\(code) is not an occupation in the taxonomy"
        case .specialty: "\(code) is not a specialty in the taxonomy"
        }
    }
}

/// A registry record validated from a request body, ready to be written.
public protocol RegistryInput: Sendable {
    /// Members a client may send.
    static var writable: Set<String> { get }
    /// Members the server owns; sending them in a PATCH is a clear error, not silence.
    static var readOnly: Set<String> { get }
    /// Members set at creation that a patch may repeat but not change (the owner, the key).
    static var immutable: Set<String> { get }
    /// Reads and checks a whole record; throws one 422 listing every broken rule.
    static func read(_ json: JSONValue) throws(Problem) -> Self
    var references: [CodeReference] { get }
}

extension RegistryInput {
    public static var immutable: Set<String> { [] }

    /// Applies a JSON merge patch to the current document and validates the result as a whole.
    public static func patched(_ current: JSONValue, with patch: JSONValue) throws(Problem) -> Self {
        let log = ValidationLog()
        let reader = FieldReader(patch, log: log)
        reader.rejectUnknown(allowed: writable, readOnly: readOnly)
        if case .object(let before) = current {
            for key in immutable.sorted() where reader.has(key) && reader.raw(key) != before[key] {
                log.add(key, "cannot be changed once set")
            }
        }
        try log.check()
        guard case .object(var merged) = current.merging(patch: patch) else {
            throw Problem.badRequest("a patch must be a JSON object")
        }
        for key in readOnly { merged.removeValue(forKey: key) }
        return try read(.object(merged))
    }
}

/// Reading skill lists, shared by programs, demands and talents.
extension FieldReader {
    /// `[{code, level}]` or, with weights, `[{code, level, weight}]`; no code twice.
    public func skills(_ name: String, weighted: Bool) -> [WeightedSkill]? {
        guard let items = array(name, required: false, maxCount: 50) else {
            return has(name) ? nil : []
        }
        var result: [WeightedSkill] = []
        var seen: Set<String> = []
        var ok = true
        for (itemPath, item) in items {
            let entry = FieldReader(item, path: itemPath, log: log)
            entry.rejectUnknown(allowed: weighted ? ["code", "level", "weight"] : ["code", "level"])
            let code = entry.string("code", maxLength: 20)
            let level = entry.int("level", range: 1...5)
            let weight = weighted ? entry.int("weight", required: false, range: 1...3) ?? 1 : 1
            if let code, !TaxonomyCode.isSkill(code) {
                log.add(entry.field("code"), "\(code) is not a skill code such as MET-004")
                ok = false
            } else if let code, !seen.insert(code).inserted {
                log.add(entry.field("code"), "\(code) is listed twice")
                ok = false
            } else if let code, let level {
                result.append(WeightedSkill(code: code, level: level, weight: weight))
            } else {
                ok = false
            }
        }
        return ok ? result : nil
    }

    /// A region code member, checked for shape here and for existence by the store.
    public func regionCode(_ name: String, required: Bool = true) -> String? {
        guard let code = string(name, required: required, maxLength: 6) else { return nil }
        guard RegionCatalog.isWellFormed(code) else {
            log.add(field(name), "must be a 6-digit GB/T 2260 region code")
            return nil
        }
        return code
    }

    /// An organization's region: a county (区/县/县级市), never a prefecture or province, whose
    /// codes end in `00`. Enterprises and colleges are registered where the county answers for them.
    public func countyCode(_ name: String) -> String? {
        guard let code = regionCode(name) else { return nil }
        guard !code.hasSuffix("00") else {
            log.add(field(name), "must be a county-level code (not ending in 00); organizations are registered with their county")
            return nil
        }
        return code
    }
}
