/// The taxonomy as the scorer sees it: skill, skill-group, occupation, minor-group and
/// specialty codes interned to dense `Int32` ids, so scoring compares integers and indexes
/// arrays instead of hashing strings.
///
/// Build it from the skill taxonomy (skill code → group code) and the table specialty →
/// related occupation codes, then build profiles through it (`MatchProfileBuilders.swift`).
/// Profiles hold ids of the catalog that built them; mixing catalogs gives wrong scores.
///
/// Codes the catalog does not know are interned on first sight instead of rejected, because
/// the registry validates codes at write time and an unknown code here only means the
/// catalog is older than the record. Such a code keeps its identity: an unknown skill has
/// no group and matches only itself (sim 2 or 0); an unknown occupation still gets the
/// minor group of its first three segments; an unknown specialty has no related occupations.
public struct MatchCatalog: Sendable {
    private var skillIDs: [String: Int32] = [:]
    private var skillCodes: [String] = []
    /// Group id of each skill id; -1 for skills unknown to the taxonomy.
    private var skillGroups: [Int32] = []
    private var groupIDs: [String: Int32] = [:]

    private var occupationIDs: [String: Int32] = [:]
    private var occupationCodes: [String] = []
    /// Minor-group id of each occupation id; -1 when the code has fewer than three segments.
    private var occupationGroups: [Int32] = []
    private var minorGroupIDs: [String: Int32] = [:]

    private var specialtyIDs: [String: Int32] = [:]
    /// Per specialty id: related occupation ids and their minor-group ids, sorted, unique.
    private var relatedOccupations: [[Int32]] = []
    private var relatedGroups: [[Int32]] = []

    /// - Parameters:
    ///   - skills: skill code → its group (`parent`) code.
    ///   - relatedOccupations: specialty code → related occupation codes (`D-DD-DD-DD`).
    /// Ids are assigned in code order, so the same taxonomy always gives the same ids.
    public init(skills: [String: String], relatedOccupations: [String: [String]]) {
        for code in skills.keys.sorted() {
            let group = skills[code]!
            let groupID = groupIDs[group] ?? {
                let id = Int32(groupIDs.count)
                groupIDs[group] = id
                return id
            }()
            skillIDs[code] = Int32(skillCodes.count)
            skillCodes.append(code)
            skillGroups.append(groupID)
        }
        for specialty in relatedOccupations.keys.sorted() {
            let ids = relatedOccupations[specialty]!.map { internOccupation($0) }
            let sortedIDs = Array(Set(ids)).sorted()
            let groups = Array(Set(sortedIDs.map { occupationGroups[Int($0)] }.filter { $0 >= 0 })).sorted()
            specialtyIDs[specialty] = Int32(self.relatedOccupations.count)
            self.relatedOccupations.append(sortedIDs)
            relatedGroups.append(groups)
        }
    }

    /// Number of skill ids handed out so far (taxonomy plus interned unknowns).
    public var skillCount: Int { skillCodes.count }
    /// Number of skill groups in the taxonomy.
    public var skillGroupCount: Int { groupIDs.count }
    /// Number of occupation ids handed out so far.
    public var occupationCount: Int { occupationCodes.count }

    /// The id of a skill code, interning an unknown code (no group) on first sight.
    public mutating func internSkill(_ code: String) -> Int32 {
        if let id = skillIDs[code] { return id }
        let id = Int32(skillCodes.count)
        skillIDs[code] = id
        skillCodes.append(code)
        skillGroups.append(-1)
        return id
    }

    /// The id of an occupation code, interning an unknown code (and its minor group).
    public mutating func internOccupation(_ code: String) -> Int32 {
        if let id = occupationIDs[code] { return id }
        let id = Int32(occupationCodes.count)
        occupationIDs[code] = id
        occupationCodes.append(code)
        var groupID: Int32 = -1
        if let prefix = Self.minorGroup(of: code) {
            groupID = minorGroupIDs[prefix] ?? {
                let newID = Int32(minorGroupIDs.count)
                minorGroupIDs[prefix] = newID
                return newID
            }()
        }
        occupationGroups.append(groupID)
        return id
    }

    /// The skill code of an id handed out by this catalog.
    public func skillCode(_ id: Int32) -> String { skillCodes[Int(id)] }

    /// The occupation code of an id handed out by this catalog.
    public func occupationCode(_ id: Int32) -> String { occupationCodes[Int(id)] }

    /// Group id of a skill id, or -1 for a skill unknown to the taxonomy.
    public func skillGroup(_ id: Int32) -> Int32 { skillGroups[Int(id)] }

    /// Minor-group id of an occupation id, or -1 when it has none.
    public func occupationGroup(_ id: Int32) -> Int32 { occupationGroups[Int(id)] }

    /// Related occupation ids and their minor-group ids for a specialty code (both sorted);
    /// empty for a specialty unknown to the catalog. The arrays are shared, not copied.
    public func related(toSpecialty code: String) -> (occupations: [Int32], groups: [Int32]) {
        guard let id = specialtyIDs[code] else { return ([], []) }
        return (relatedOccupations[Int(id)], relatedGroups[Int(id)])
    }

    /// `"6-18-01"` for `"6-18-01-02"`: the first three `-`-separated segments, or nil when the
    /// code has fewer than three (it then matches occupations only exactly).
    static func minorGroup(of code: String) -> String? {
        var dashes = 0
        for index in code.indices where code[index] == "-" {
            dashes += 1
            if dashes == 3 { return String(code[..<index]) }
        }
        return dashes == 2 ? code : nil
    }
}
