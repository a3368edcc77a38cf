/// What a match run covers: a region prefix (`4112` = the whole city), optionally one
/// cooperation mode and an occupation code prefix.
public struct MatchRunScope: Sendable, Equatable {
    public var regionCode: String
    public var mode: CooperationMode?
    public var occupationPrefix: String?

    public init(regionCode: String, mode: CooperationMode? = nil, occupationPrefix: String? = nil) {
        self.regionCode = regionCode
        self.mode = mode
        self.occupationPrefix = occupationPrefix
    }

    /// `{region_code?, mode?, occupation_prefix?}`; without a region the whole database is in scope.
    public static func read(_ json: JSONValue) throws(Problem) -> MatchRunScope {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["region_code", "mode", "occupation_prefix"])
        let region = reader.string("region_code", required: false, maxLength: 6) ?? ""
        if !region.isEmpty && !region.utf8.allSatisfy({ (48...57).contains($0) }) {
            log.add("region_code", "must be 1 to 6 digits of a region code, e.g. 4112 for the whole city")
        }
        let mode = reader.enumValue("mode", CooperationMode.self, required: false)
        let prefix = reader.string("occupation_prefix", required: false, maxLength: 10)
        if let prefix, !isOccupationPrefix(prefix) {
            log.add("occupation_prefix", "must be the start of an occupation code, e.g. 6-18 or 2-02-10")
        }
        try log.check()
        return MatchRunScope(regionCode: region, mode: mode, occupationPrefix: prefix)
    }

    static func isOccupationPrefix(_ text: String) -> Bool {
        let pattern = Array("0-00-00-00".utf8)
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= pattern.count else { return false }
        return bytes.indices.allSatisfy { pattern[$0] == UInt8(ascii: "-") ? bytes[$0] == UInt8(ascii: "-") : (48...57).contains(bytes[$0]) }
    }
}
