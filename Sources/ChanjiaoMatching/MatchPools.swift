import Foundation  // UUID only

// Candidate sets for recommendations, laid out for brute force.
//
// A pool is an immutable snapshot of many profiles. Besides the profiles themselves it keeps
// flat columns: one fixed-size head per record and every record's skills packed into one
// shared array, so a scan over 100,000 records reads memory front to back instead of
// chasing one heap array per record. Build a pool once per registry refresh, not per
// request; `RankedMatch.index` indexes `profiles`.

/// Demands to rank for a program or a talent.
public struct DemandPool: Sendable {
    public let profiles: [DemandProfile]
    /// Stored sorted into runs of one occupation and one region (`PoolRuns`); `record` maps a
    /// position to its index in `profiles`.
    let heads: [DemandHead]
    /// All asked skills, `PackedSkill` encoded; position `i` owns `heads[i].skillStart ..< skillEnd`.
    let skills: [UInt64]
    /// Distinct region codes (`DemandHead.regionIndex`): geo is computed once per code and
    /// request, then looked up.
    let regions: [Int32]
    /// Minor group of every occupation id up to the largest one in the pool (-1: none or
    /// unused), so occ can likewise be tabulated per request.
    let occupationGroups: [Int32]
    let keys: [MatchOrderKey]
    let record: [Int32]
    /// Outer key: occupation id; inner: region index.
    let runs: PoolRuns
    /// Positions by asked skill id: the demands asking a skill the other side holds itself.
    let bySkill: PostingLists

    public init(_ demands: [DemandProfile]) {
        profiles = demands
        var regions = PoolInterner<Int32>()
        let runKeys = demands.map { (outer: $0.occupation, inner: regions.id($0.regionCode)) }
        let order = PoolRuns.order(runKeys)
        var heads: [DemandHead] = []
        var skills: [UInt64] = []
        var occupationGroups = [Int32](repeating: -1, count: Int(demands.lazy.map(\.occupation).max() ?? -1) + 1)
        heads.reserveCapacity(demands.count)
        skills.reserveCapacity(demands.reduce(0) { $0 + $1.skills.count })
        for index in order {
            let d = demands[index]
            let start = Int32(skills.count)
            for s in d.skills { skills.append(PackedSkill.pack(skill: s.skill, group: s.group, level: s.level, weight: s.weight)) }
            occupationGroups[Int(d.occupation)] = d.occupationGroup
            heads.append(DemandHead(
                skillStart: start, skillEnd: Int32(skills.count),
                skillMask: SkillMask.of(d.skills.lazy.map { ($0.skill, $0.group) }),
                skillBits: SkillMask.exactBits(d.skills.lazy.map(\.skill)),
                heaviestBits: SkillMask.heaviestBits(d.skills.lazy.map { ($0.skill, $0.group, Int($0.weight)) }),
                weightSum: Int32(d.weightSum), regionIndex: runKeys[index].inner, occupation: d.occupation,
                filter: DemandHead.filter(modeBit: d.modeBit, minRank: d.minRank, isOpen: d.isOpen)))
        }
        self.heads = heads
        self.skills = skills
        self.regions = regions.values
        self.occupationGroups = occupationGroups
        keys = order.map { demands[$0].orderKey }
        record = order.map(Int32.init)
        runs = PoolRuns(sortedKeys: order.map { runKeys[$0] }, outerCount: occupationGroups.count)
        bySkill = PostingLists(heads.indices.lazy.flatMap { position in
            heads[position].skillRange.lazy.map { (PackedSkill.skill(skills[$0]), position) }
        })
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
    let skillStart: Int32
    let skillEnd: Int32
    /// `SkillMask` of the asked skills.
    let skillMask: UInt64
    /// `SkillMask.exactBits` of the asked skills.
    let skillBits: UInt64
    /// The weight of the asked skills behind the demand's heaviest mask bit, and behind its two
    /// heaviest (`SkillMask.heaviestBits`): with k bits shared, N is at most 120 times the
    /// k heaviest bits' weight.
    let heaviestBits: (one: Int32, two: Int32)
    // The 32-bit fields after the 64-bit ones: 48 bytes a head, not 56.
    let weightSum: Int32
    /// Index into `DemandPool.regions`.
    let regionIndex: Int32
    let occupation: Int32
    var skillRange: Range<Int> { Int(skillStart)..<Int(skillEnd) }

    /// The hard-filter inputs as one small key, `mode index · 4 + minRank` or `closed`:
    /// a request turns all keys into lvl (or "ineligible") with one table, so the scan makes
    /// one lookup instead of three unpredictable branches per record.
    let filter: UInt8

    static let closed = 20

    static func filter(modeBit: UInt8, minRank: Int, isOpen: Bool) -> UInt8 {
        isOpen ? UInt8(modeBit.trailingZeroBitCount * 4 + minRank) : UInt8(closed)
    }

    /// Inverse of `filter` for an open demand.
    static func mode(ofFilter key: Int) -> UInt8 { 1 << (key / 4) }
    static func minRank(ofFilter key: Int) -> Int { key % 4 }
}

struct SupplyHead {
    let skillStart: Int32
    let skillEnd: Int32
    /// `SkillMask` of the taught or held skills.
    let skillMask: UInt64
    /// `SkillMask.exactBits` of the taught or held skills.
    let skillBits: UInt64
    /// Index into `SupplyColumns.regionSets`.
    let regionSet: Int32
    /// Index into `SupplyColumns.occupationSets`.
    let occupationSet: Int32
    /// The hard-filter inputs as one key (as `DemandHead.filter`): `flags << 7 | modes << 2 |
    /// rank`, with the five mode bits (all set for talents: no mode filter) and the flags
    /// `published`, `consenting`.
    let filter: UInt16

    var skillRange: Range<Int> { Int(skillStart)..<Int(skillEnd) }

    static let published: UInt8 = 1
    static let consenting: UInt8 = 2
    static let filterCount = 512

    static func filter(rank: Int, modes: UInt8, flags: UInt8) -> UInt16 {
        UInt16(flags) << 7 | UInt16(modes & 0x1F) << 2 | UInt16(rank)
    }

    static func flags(ofFilter key: Int) -> UInt8 { UInt8(key >> 7) }
    static func modes(ofFilter key: Int) -> UInt8 { UInt8((key >> 2) & 0x1F) }
    static func rank(ofFilter key: Int) -> Int { key & 3 }
}

/// The columns shared by program and talent pools, stored sorted into runs of one occupation
/// set and one region set (`PoolRuns`). A position is not a record index; `record` maps one
/// to the other.
struct SupplyColumns: Sendable {
    let heads: [SupplyHead]
    /// All taught / held skills, `PackedSkill` encoded (weight 0).
    let skills: [UInt64]
    /// Distinct region-code lists (one code per program; a talent's list). Geo is computed
    /// once per list and request, then looked up.
    let regionSets: [[Int32]]
    /// Distinct (occupations, minor groups) sets: programs of one specialty share one, so occ
    /// is likewise computed once per set and request.
    let occupationSets: [OccupationSet]
    let keys: [MatchOrderKey]
    /// The record index (in the pool's `profiles`) at each position.
    let record: [Int32]
    /// Outer key: occupation set; inner: region set.
    let runs: PoolRuns
    /// Positions by exact skill id: who holds an asked skill itself.
    let bySkill: PostingLists
    /// Occupation sets by the occupation ids and by the minor groups they contain: a request
    /// finds the few sets its demand's occupation relates to without testing every set (talents
    /// bring thousands of distinct sets).
    let setsByOccupation: PostingLists
    let setsByGroup: PostingLists

    struct OccupationSet: Hashable {
        let occupations: [Int32]
        let groups: [Int32]
    }

    init<Supply: MatchSupply>(_ records: [Supply]) {
        var regionSets = PoolInterner<[Int32]>()
        var occupationSets = PoolInterner<OccupationSet>()
        let setKeys = records.map { r in
            (outer: occupationSets.id(OccupationSet(occupations: r.occupations, groups: r.occupationGroups)),
             inner: regionSets.id(r.regionList))
        }
        let order = PoolRuns.order(setKeys)
        var heads: [SupplyHead] = []
        var skills: [UInt64] = []
        heads.reserveCapacity(records.count)
        for index in order {
            let r = records[index]
            let skillStart = Int32(skills.count)
            for t in r.skills { skills.append(PackedSkill.pack(skill: t.skill, group: t.group, level: t.level, weight: 0)) }
            heads.append(SupplyHead(
                skillStart: skillStart, skillEnd: Int32(skills.count),
                skillMask: SkillMask.of(r.skills.lazy.map { ($0.skill, $0.group) }),
                skillBits: SkillMask.exactBits(r.skills.lazy.map(\.skill)),
                regionSet: setKeys[index].inner, occupationSet: setKeys[index].outer,
                filter: SupplyHead.filter(rank: r.rank, modes: r.modeMask, flags: r.supplyFlags)))
        }
        self.heads = heads
        self.skills = skills
        self.regionSets = regionSets.values
        self.occupationSets = occupationSets.values
        keys = order.map { records[$0].orderKey }
        record = order.map(Int32.init)
        runs = PoolRuns(sortedKeys: order.map { setKeys[$0] }, outerCount: occupationSets.values.count)
        bySkill = PostingLists(heads.indices.lazy.flatMap { position in
            heads[position].skillRange.lazy.map { (PackedSkill.skill(skills[$0]), position) }
        })
        let sets = occupationSets.values
        setsByOccupation = PostingLists(sets.indices.lazy.flatMap { set in sets[set].occupations.lazy.map { (Int($0), set) } })
        setsByGroup = PostingLists(sets.indices.lazy.flatMap { set in
            sets[set].groups.lazy.filter { $0 >= 0 }.map { (Int($0), set) }
        })
    }

    /// occ of every occupation set for `demand`, as `MatchScorer.occupationPoints` gives it.
    func occupationPoints(for demand: DemandProfile, _ config: ScoreConfig) -> OccupationPoints {
        let related = setsByOccupation.range(Int(demand.occupation)).lazy.map(setsByOccupation.entry)
        let minor = setsByGroup.range(Int(demand.occupationGroup)).lazy.map(setsByGroup.entry)  // none for -1
        return OccupationPoints(count: occupationSets.count, related: related, minorGroup: minor, config)
    }
}

/// Dense ids for distinct values, in order of first appearance.
struct PoolInterner<Value: Hashable> {
    private(set) var values: [Value] = []
    private var ids: [Value: Int32] = [:]

    mutating func id(_ value: Value) -> Int32 {
        if let id = ids[value] { return id }
        let id = Int32(values.count)
        values.append(value)
        ids[value] = id
        return id
    }
}

/// A 64-bit fingerprint of a skill list: one bit per skill group (or, for a skill without a
/// group, per skill). Two skills can earn credit only if they share a group or are the same
/// skill, so two lists whose masks do not intersect have N = 0 exactly — a bound the scans use
/// to skip the skill part (collisions only make the test weaker, never wrong).
enum SkillMask {
    @inline(__always) static func bit(skill: Int32, group: Int32) -> UInt64 {
        let key = group >= 0 ? Int(group) : Int(skill) &* 31 &+ 17
        return 1 << UInt64(key & 63)
    }

    static func of(_ skills: some Sequence<(Int32, Int32)>) -> UInt64 {
        skills.reduce(0) { $0 | bit(skill: $1.0, group: $1.1) }
    }

    /// One bit per skill id (modulo 64): a skill can earn its full, exact credit only if its
    /// bit is in the other side's `exactBits`.
    @inline(__always) static func exactBit(_ skill: Int32) -> UInt64 { 1 << UInt64(Int(skill) & 63) }

    static func exactBits(_ skills: some Sequence<Int32>) -> UInt64 {
        skills.reduce(0) { $0 | exactBit($1) }
    }

    /// The total weight of the (skill, group, weight) list behind its heaviest bit, and behind
    /// its two heaviest. A skill earns credit only from a held skill with its own bit (the same
    /// skill or group), so against a held side sharing k bits, N ≤ 120 · (weight behind the
    /// k heaviest bits).
    static func heaviestBits(_ skills: some Collection<(Int32, Int32, Int)>) -> (one: Int32, two: Int32) {
        // A demand asks a handful of skills: each bit is summed where it first appears, with no
        // allocation, since pools of 100,000 demands are rebuilt on every batch of changes.
        var (one, two) = (0, 0)
        for (i, (skill, group, _)) in skills.enumerated() {
            let b = bit(skill: skill, group: group)
            guard !skills.prefix(i).contains(where: { bit(skill: $0.0, group: $0.1) == b }) else { continue }
            let weight = skills.dropFirst(i).reduce(0) { $0 + (bit(skill: $1.0, group: $1.1) == b ? $1.2 : 0) }
            if weight > one { (one, two) = (weight, one) } else if weight > two { two = weight }
        }
        return (Int32(one), Int32(one + two))
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
