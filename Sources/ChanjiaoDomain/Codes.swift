/// The formats of taxonomy codes. Only the shape is checked here; whether a code exists is the
/// loaded taxonomy's business.
public enum TaxonomyCode: String, Sendable, CaseIterable {
    /// Our own skill codes: group, dash, three digits (`MET-004`).
    case skill
    /// A skill group, the `parent` of skills (`MET`).
    case skillGroup = "skill_group"
    /// 《职业分类大典(2022年版)》: major–middle–minor group–occupation (`2-02-10-03`).
    case occupation
    /// 《职业教育专业目录(2021年)》: 大类 2 + 专业类 2 + 专业 2 (`510203`).
    case specialty

    /// Whether `code` has this kind's format.
    public func isWellFormed(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        switch self {
        case .skill:
            guard let dash = bytes.firstIndex(of: UInt8(ascii: "-")) else { return false }
            return Self.isGroup(bytes[..<dash]) && bytes.count - dash == 4
                && bytes[(dash + 1)...].allSatisfy(Self.isDigit)
        case .skillGroup:
            return Self.isGroup(bytes[...])
        case .occupation:
            // D-DD-DD-DD: digits everywhere except the three dashes.
            let dashes = [1, 4, 7]
            return bytes.count == 10
                && bytes.indices.allSatisfy { dashes.contains($0) ? bytes[$0] == UInt8(ascii: "-") : Self.isDigit(bytes[$0]) }
        case .specialty:
            return bytes.count == 6 && bytes.allSatisfy(Self.isDigit)
        }
    }

    /// nil when `code` is well formed, otherwise a short message for the user.
    public func formatProblem(_ code: String) -> String? {
        if isWellFormed(code) { return nil }
        return switch self {
        case .skill: "'\(code)' is not a skill code (2–6 capital letters, '-', 3 digits, e.g. MET-004)"
        case .skillGroup: "'\(code)' is not a skill group code (2–6 capital letters, e.g. MET)"
        case .occupation: "'\(code)' is not an occupation code (D-DD-DD-DD, e.g. 2-02-10-03)"
        case .specialty: "'\(code)' is not a specialty code (6 digits, e.g. 510203)"
        }
    }

    public static func isSkill(_ code: String) -> Bool { skill.isWellFormed(code) }
    public static func isSkillGroup(_ code: String) -> Bool { skillGroup.isWellFormed(code) }
    public static func isOccupation(_ code: String) -> Bool { occupation.isWellFormed(code) }
    public static func isSpecialty(_ code: String) -> Bool { specialty.isWellFormed(code) }

    private static func isGroup(_ bytes: ArraySlice<UInt8>) -> Bool {
        (2...6).contains(bytes.count) && bytes.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
