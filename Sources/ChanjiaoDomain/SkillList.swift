/// A skill a program teaches or a talent has, at a level 1 (basic) … 5 (expert).
public struct SkillLevel: Codable, Sendable, Equatable, Hashable {
    public var code: String
    public var level: Int

    public init(code: String, level: Int) {
        self.code = code
        self.level = level
    }
}

/// A skill a demand asks for, at a level 1…5, with a weight 1 (nice to have) … 3 (essential).
public struct WeightedSkill: Codable, Sendable, Equatable, Hashable {
    public var code: String
    public var level: Int
    public var weight: Int

    public init(code: String, level: Int, weight: Int) {
        self.code = code
        self.level = level
        self.weight = weight
    }
}

/// The compact skill-list notation of CSV cells: `MET-004:4;SAF-002:3` (code:level) and
/// `MET-004:4:2;SAF-002:3:1` (code:level:weight). An empty cell is an empty list.
public enum SkillList {
    public static let levels = 1...5
    public static let weights = 1...3

    public static func parseLevels(_ text: String) throws(SkillListError) -> [SkillLevel] {
        try parse(text, parts: 2).map { SkillLevel(code: $0.code, level: $0.numbers[0]) }
    }

    public static func parseWeighted(_ text: String) throws(SkillListError) -> [WeightedSkill] {
        try parse(text, parts: 3).map { WeightedSkill(code: $0.code, level: $0.numbers[0], weight: $0.numbers[1]) }
    }

    public static func format(_ skills: [SkillLevel]) -> String {
        skills.map { "\($0.code):\($0.level)" }.joined(separator: ";")
    }

    public static func format(_ skills: [WeightedSkill]) -> String {
        skills.map { "\($0.code):\($0.level):\($0.weight)" }.joined(separator: ";")
    }

    private static func parse(_ text: String, parts: Int) throws(SkillListError) -> [(code: String, numbers: [Int])] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return [] }
        let shape = parts == 2 ? "code:level" : "code:level:weight"
        var items: [(code: String, numbers: [Int])] = []
        var firstIndex: [String: Int] = [:]
        for (index, rawItem) in trimmed.split(separator: ";", omittingEmptySubsequences: false).enumerated() {
            let fields = rawItem.split(separator: ":", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == parts else {
                throw SkillListError(index: index, field: nil, message: "'\(rawItem)' is not \(shape)")
            }
            let code = fields[0]
            if let problem = TaxonomyCode.skill.formatProblem(code) {
                throw SkillListError(index: index, field: "code", message: problem)
            }
            if let earlier = firstIndex[code] {
                throw SkillListError(index: index, field: "code", message: "\(code) already appears in item \(earlier + 1)")
            }
            firstIndex[code] = index
            let level = try number(fields[1], named: "level", in: levels, index: index)
            var numbers = [level]
            if parts == 3 { numbers.append(try number(fields[2], named: "weight", in: weights, index: index)) }
            items.append((code, numbers))
        }
        return items
    }

    private static func number(_ text: String, named name: String, in range: ClosedRange<Int>, index: Int)
        throws(SkillListError) -> Int
    {
        guard let value = Int(text), range.contains(value) else {
            throw SkillListError(
                index: index, field: name,
                message: "\(name) must be \(range.lowerBound)..\(range.upperBound) (got '\(text)')")
        }
        return value
    }
}

/// A skill-list item that cannot be read. `index` is 0-based and `field` names the part
/// (`code`, `level`, `weight`, or nil for the whole item), so the API can report
/// `skills[2].level`; `message` counts items from 1 for people reading a spreadsheet cell.
public struct SkillListError: Error, Sendable, Equatable {
    public var index: Int
    public var field: String?
    public var detail: String

    public init(index: Int, field: String?, message: String) {
        self.index = index
        self.field = field
        self.detail = message
    }

    public var message: String { "item \(index + 1): \(detail)" }

    /// The JSON path of the failing part under `base`, e.g. `skills[2].level`.
    public func path(under base: String) -> String {
        let item = "\(base)[\(index)]"
        return field.map { "\(item).\($0)" } ?? item
    }
}
