import ChanjiaoDomain
import Foundation  // UUID only

/// Cooperation modes as a bitmask, so the mode hard filter is one AND.
public struct CooperationModeSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public init(_ mode: CooperationMode) { self.rawValue = Self.bit(mode) }

    public init(_ modes: some Sequence<CooperationMode>) {
        self.rawValue = modes.reduce(0) { $0 | Self.bit($1) }
    }

    public func contains(_ mode: CooperationMode) -> Bool { rawValue & Self.bit(mode) != 0 }

    static func bit(_ mode: CooperationMode) -> UInt8 {
        switch mode {
        case .orderClass: 1 << 0
        case .apprenticeship: 1 << 1
        case .internship: 1 << 2
        case .employment: 1 << 3
        case .trainingBase: 1 << 4
        }
    }
}

/// A skill a demand asks for: catalog ids, level 1…5, weight 1…3.
public struct AskedSkill: Sendable, Hashable {
    public let skill: Int32
    /// The skill's group id, -1 for a skill unknown to the catalog (it then matches only itself).
    public let group: Int32
    public let level: UInt8
    public let weight: UInt8
}

/// A skill a program teaches or a talent holds: catalog ids and level 1…5.
public struct HeldSkill: Sendable, Hashable {
    public let skill: Int32
    /// As in `AskedSkill`.
    public let group: Int32
    public let level: UInt8
}

/// The recommendation tie-break key: a UUID's 16 bytes as two big-endian words, so
/// "id ascending" is one or two integer comparisons. Byte order equals the order of the
/// lowercase canonical string (hex digits sort like their nibbles; hyphens are at fixed places).
struct MatchOrderKey: Comparable, Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init(_ id: UUID) {
        (high, low) = withUnsafeBytes(of: id.uuid) { bytes in
            (UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    static func < (a: Self, b: Self) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// A demand as the scorer sees it. Build with `MatchCatalog.demandProfile(...)`.
public struct DemandProfile: Sendable {
    public let id: UUID
    public let occupation: Int32
    /// Minor group of `occupation`, -1 if none.
    public let occupationGroup: Int32
    /// In the record's order (explanations list skills in this order).
    public let skills: [AskedSkill]
    /// `W = Σ weight`; 0 selects the no-skills branch of the formula.
    public let weightSum: Int
    public let minLevel: EducationLevel
    public let mode: CooperationMode
    /// Six-digit GB/T 2260 code.
    public let regionCode: Int32
    /// Only `open` demands are eligible.
    public let isOpen: Bool

    let orderKey: MatchOrderKey
    let minRank: Int
    let modeBit: UInt8

    init(
        id: UUID, occupation: Int32, occupationGroup: Int32, skills: [AskedSkill],
        minLevel: EducationLevel, mode: CooperationMode, regionCode: Int32, isOpen: Bool
    ) {
        self.id = id
        self.occupation = occupation
        self.occupationGroup = occupationGroup
        self.skills = skills
        self.weightSum = skills.reduce(0) { $0 + Int($1.weight) }
        self.minLevel = minLevel
        self.mode = mode
        self.regionCode = regionCode
        self.isOpen = isOpen
        self.orderKey = MatchOrderKey(id)
        self.minRank = minLevel.rank
        self.modeBit = CooperationModeSet.bit(mode)
    }
}

/// A program as the scorer sees it. Build with `MatchCatalog.programProfile(...)`.
public struct ProgramProfile: Sendable {
    public let id: UUID
    public let skills: [HeldSkill]
    /// Occupations related to the program's specialty, and their minor groups (sorted ids,
    /// shared with the catalog).
    public let occupations: [Int32]
    public let occupationGroups: [Int32]
    public let level: EducationLevel
    public let modes: CooperationModeSet
    public let regionCode: Int32
    /// Seats; carried for allocation, not used by the score.
    public let capacity: Int
    /// Only `published` programs are eligible.
    public let isPublished: Bool

    let orderKey: MatchOrderKey
    let rank: Int

    init(
        id: UUID, skills: [HeldSkill], occupations: [Int32], occupationGroups: [Int32],
        level: EducationLevel, modes: CooperationModeSet, regionCode: Int32, capacity: Int,
        isPublished: Bool
    ) {
        self.id = id
        self.skills = skills
        self.occupations = occupations
        self.occupationGroups = occupationGroups
        self.level = level
        self.modes = modes
        self.regionCode = regionCode
        self.capacity = capacity
        self.isPublished = isPublished
        self.orderKey = MatchOrderKey(id)
        self.rank = level.rank
    }
}

/// A talent as the scorer sees it. Build with `MatchCatalog.talentProfile(...)`.
public struct TalentProfile: Sendable {
    public let id: UUID
    public let skills: [HeldSkill]
    /// Occupations related to the talent's specialty together with the desired occupations,
    /// and their minor groups (sorted, unique ids).
    public let occupations: [Int32]
    public let occupationGroups: [Int32]
    public let educationLevel: EducationLevel
    /// Six-digit codes; geo is the best over them (`geo_other` when empty).
    public let regionCodes: [Int32]
    /// `share_with_enterprises`: without it the talent is never shown to enterprises.
    public let consent: Bool

    let orderKey: MatchOrderKey
    let rank: Int

    init(
        id: UUID, skills: [HeldSkill], occupations: [Int32], occupationGroups: [Int32],
        educationLevel: EducationLevel, regionCodes: [Int32], consent: Bool
    ) {
        self.id = id
        self.skills = skills
        self.occupations = occupations
        self.occupationGroups = occupationGroups
        self.educationLevel = educationLevel
        self.regionCodes = regionCodes
        self.consent = consent
        self.orderKey = MatchOrderKey(id)
        self.rank = educationLevel.rank
    }
}
