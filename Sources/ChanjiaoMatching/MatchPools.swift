import Foundation  // UUID only

/// Candidate sets for recommendations, laid out for brute force.
///
/// A pool is an immutable snapshot of many profiles. Besides the profiles themselves it keeps
/// flat columns: one fixed-size head per record and every record's skills packed into one
/// shared array, so a scan over 100,000 records reads memory front to back instead of
/// chasing one heap array per record. Build a pool once per registry refresh, not per
/// request; `RankedMatch.index` indexes `profiles`.

/// Demands to rank for a program or a talent.
public struct DemandPool: Sendable {
    public let profiles: [DemandProfile]
    let heads: [DemandHead]
    /// All asked skills, `PackedSkill` encoded; record `i` owns `heads[i].skillStart ..< skillEnd`.
    let skills: [UInt64]
    let keys: [MatchOrderKey]

    public init(_ demands: [DemandProfile]) {
        profiles = demands
        var heads: [DemandHead] = []
        var skills: [UInt64] = []
        heads.reserveCapacity(demands.count)
        skills.reserveCapacity(demands.reduce(0) { $0 + $1.skills.count })
        for d in demands {
            let start = Int32(skills.count)
            for s in d.skills { skills.append(PackedSkill.pack(skill: s.skill, group: s.group, level: s.level, weight: s.weight)) }
            heads.append(DemandHead(
                region: d.regionCode, occupation: d.occupation, occupationGroup: d.occupationGroup,
                skillStart: start, skillEnd: Int32(skills.count), weightSum: Int32(d.weightSum),
                modeBit: d.modeBit, minRank: UInt8(d.minRank), isOpen: d.isOpen))
        }
        self.heads = heads
        self.skills = skills
        keys = demands.map(\.orderKey)
    }

    public var count: Int { profiles.count }
}

/// Programs to rank for a demand.
public struct ProgramPool: Sendable {
    public let profiles: [ProgramProfile]
    let columns: SupplyColumns

    public init(_ programs: [ProgramProfile]) {
        profiles = programs
        columns = SupplyColumns(programs)
    }

    public var count: Int { profiles.count }
}

/// Talents to rank for a demand.
public struct TalentPool: Sendable {
    public let profiles: [TalentProfile]
    let columns: SupplyColumns

    public init(_ talents: [TalentProfile]) {
        profiles = talents
        columns = SupplyColumns(talents)
    }

    public var count: Int { profiles.count }
}

struct DemandHead {
    let region: Int32
    let occupation: Int32
    let occupationGroup: Int32
    let skillStart: Int32
    let skillEnd: Int32
    let weightSum: Int32
    let modeBit: UInt8
    let minRank: UInt8
    let isOpen: Bool
}

struct SupplyHead {
    let skillStart: Int32
    let skillEnd: Int32
    let regionStart: Int32
    let regionEnd: Int32
    /// Index into `SupplyColumns.occupationSets`.
    let occupationSet: Int32
    let rank: UInt8
    /// Cooperation modes offered; all ones for talents (no mode filter).
    let modes: UInt8
    /// `SupplyHead.published`, `SupplyHead.consenting`.
    let flags: UInt8

    static let published: UInt8 = 1
    static let consenting: UInt8 = 2
}

/// The columns shared by program and talent pools.
struct SupplyColumns: Sendable {
    let heads: [SupplyHead]
    /// All taught / held skills, `PackedSkill` encoded (weight 0).
    let skills: [UInt64]
    let regions: [Int32]
    /// Distinct (occupations, minor groups) sets: programs of one specialty share one, so occ
    /// is computed once per set and request rather than once per program.
    let occupationSets: [OccupationSet]
    let keys: [MatchOrderKey]

    struct OccupationSet: Hashable {
        let occupations: [Int32]
        let groups: [Int32]
    }

    init<Supply: MatchSupply>(_ records: [Supply]) {
        var heads: [SupplyHead] = []
        var skills: [UInt64] = []
        var regions: [Int32] = []
        var sets: [OccupationSet] = []
        var setIndex: [OccupationSet: Int32] = [:]
        heads.reserveCapacity(records.count)
        for r in records {
            let skillStart = Int32(skills.count)
            for t in r.skills { skills.append(PackedSkill.pack(skill: t.skill, group: t.group, level: t.level, weight: 0)) }
            let regionStart = Int32(regions.count)
            regions.append(contentsOf: r.regionList)
            let set = OccupationSet(occupations: r.occupations, groups: r.occupationGroups)
            let setID = setIndex[set] ?? {
                let id = Int32(sets.count)
                sets.append(set)
                setIndex[set] = id
                return id
            }()
            heads.append(SupplyHead(
                skillStart: skillStart, skillEnd: Int32(skills.count),
                regionStart: regionStart, regionEnd: Int32(regions.count), occupationSet: setID,
                rank: UInt8(r.rank), modes: r.modeMask, flags: r.supplyFlags))
        }
        self.heads = heads
        self.skills = skills
        self.regions = regions
        occupationSets = sets
        keys = records.map(\.orderKey)
    }
}

/// One skill in 64 bits: id (bits 0–31), group + 1 (32–55, 0 = no group), level (56–59),
/// weight (60–63).
enum PackedSkill {
    static func pack(skill: Int32, group: Int32, level: UInt8, weight: UInt8) -> UInt64 {
        precondition(group < (1 << 24) - 1, "more than 16 million skill groups")
        return UInt64(UInt32(bitPattern: skill)) | UInt64(group + 1) << 32
            | UInt64(level) << 56 | UInt64(weight) << 60
    }

    @inline(__always) static func skill(_ p: UInt64) -> Int { Int(UInt32(truncatingIfNeeded: p)) }
    /// Group id + 1; 0 for a skill without group.
    @inline(__always) static func groupPlusOne(_ p: UInt64) -> Int { Int((p >> 32) & 0xFF_FFFF) }
    @inline(__always) static func level(_ p: UInt64) -> Int { Int((p >> 56) & 0xF) }
    @inline(__always) static func weight(_ p: UInt64) -> Int { Int(p >> 60) }
}

/// What a supply pool reads of a program or a talent.
protocol MatchSupply {
    var id: UUID { get }
    var skills: [HeldSkill] { get }
    var occupations: [Int32] { get }
    var occupationGroups: [Int32] { get }
    var rank: Int { get }
    var orderKey: MatchOrderKey { get }
    var regionList: [Int32] { get }
    var modeMask: UInt8 { get }
    var supplyFlags: UInt8 { get }
}

extension ProgramProfile: MatchSupply {
    var regionList: [Int32] { [regionCode] }
    var modeMask: UInt8 { modes.rawValue }
    var supplyFlags: UInt8 { isPublished ? SupplyHead.published : 0 }
}

extension TalentProfile: MatchSupply {
    var regionList: [Int32] { regionCodes }
    var modeMask: UInt8 { .max }
    var supplyFlags: UInt8 { SupplyHead.published | (consent ? SupplyHead.consenting : 0) }
}
