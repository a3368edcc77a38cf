import ChanjiaoDomain
import Foundation  // UUID only

/// A record the scorer cannot represent. The registry rejects these at write time (422), so
/// seeing one here means the caller skipped validation.
public enum MatchInputError: Error, Equatable, Sendable {
    case skillLevelOutOfRange(code: String, level: Int)
    case skillWeightOutOfRange(code: String, weight: Int)
    case duplicateSkill(code: String)
    case invalidRegionCode(String)
}

/// Records come in as ChanjiaoDomain's `WeightedSkill` (demands) and `SkillLevel` (programs,
/// talents), the registry's own skill types.
extension MatchCatalog {
    /// A demand's profile. Unknown skill and occupation codes are interned (see `MatchCatalog`).
    public mutating func demandProfile(
        id: UUID, occupationCode: String, skills: [WeightedSkill], minLevel: EducationLevel,
        mode: CooperationMode, regionCode: String, isOpen: Bool
    ) throws(MatchInputError) -> DemandProfile {
        var seen = Set<String>()
        var asked: [AskedSkill] = []
        asked.reserveCapacity(skills.count)
        for skill in skills {
            guard (1...5).contains(skill.level) else {
                throw .skillLevelOutOfRange(code: skill.code, level: skill.level)
            }
            guard (1...3).contains(skill.weight) else {
                throw .skillWeightOutOfRange(code: skill.code, weight: skill.weight)
            }
            guard seen.insert(skill.code).inserted else { throw .duplicateSkill(code: skill.code) }
            let skillID = internSkill(skill.code)
            asked.append(AskedSkill(
                skill: skillID, group: skillGroup(skillID),
                level: UInt8(skill.level), weight: UInt8(skill.weight)))
        }
        let occupation = internOccupation(occupationCode)
        return DemandProfile(
            id: id, occupation: occupation, occupationGroup: occupationGroup(occupation),
            skills: asked, minLevel: minLevel, mode: mode,
            regionCode: try Self.parseRegion(regionCode), isOpen: isOpen)
    }

    /// A program's profile; occ uses the occupations related to `specialtyCode`.
    public mutating func programProfile(
        id: UUID, specialtyCode: String, skills: [SkillLevel], level: EducationLevel,
        modes: CooperationModeSet, regionCode: String, capacity: Int, isPublished: Bool
    ) throws(MatchInputError) -> ProgramProfile {
        let related = related(toSpecialty: specialtyCode)
        return ProgramProfile(
            id: id, skills: try heldSkills(skills),
            occupations: related.occupations, occupationGroups: related.groups,
            level: level, modes: modes, regionCode: try Self.parseRegion(regionCode),
            capacity: capacity, isPublished: isPublished)
    }

    /// A talent's profile; occ uses the occupations related to `specialtyCode` (if any)
    /// together with `desiredOccupationCodes`.
    public mutating func talentProfile(
        id: UUID, specialtyCode: String?, skills: [SkillLevel], educationLevel: EducationLevel,
        desiredOccupationCodes: [String], regionCodes: [String], consent: Bool
    ) throws(MatchInputError) -> TalentProfile {
        var occupations = Set<Int32>()
        if let specialtyCode { occupations.formUnion(related(toSpecialty: specialtyCode).occupations) }
        for code in desiredOccupationCodes { occupations.insert(internOccupation(code)) }
        let groups = Set(occupations.map { occupationGroup($0) }.filter { $0 >= 0 })
        var regions: [Int32] = []
        for code in regionCodes { regions.append(try Self.parseRegion(code)) }
        return TalentProfile(
            id: id, skills: try heldSkills(skills),
            occupations: occupations.sorted(), occupationGroups: groups.sorted(),
            educationLevel: educationLevel, regionCodes: regions, consent: consent)
    }

    private mutating func heldSkills(_ skills: [SkillLevel]) throws(MatchInputError) -> [HeldSkill] {
        var seen = Set<String>()
        var held: [HeldSkill] = []
        held.reserveCapacity(skills.count)
        for skill in skills {
            guard (1...5).contains(skill.level) else {
                throw .skillLevelOutOfRange(code: skill.code, level: skill.level)
            }
            guard seen.insert(skill.code).inserted else { throw .duplicateSkill(code: skill.code) }
            let skillID = internSkill(skill.code)
            held.append(HeldSkill(skill: skillID, group: skillGroup(skillID), level: UInt8(skill.level)))
        }
        return held
    }

    /// Six ASCII digits (GB/T 2260) to an integer; prefixes are then `/ 100` and `/ 10_000`.
    static func parseRegion(_ code: String) throws(MatchInputError) -> Int32 {
        var value: Int32 = 0
        var count = 0
        for byte in code.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), count < 6 else {
                throw .invalidRegionCode(code)
            }
            value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            count += 1
        }
        guard count == 6 else { throw .invalidRegionCode(code) }
        return value
    }
}
