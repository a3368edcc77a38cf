import ChanjiaoDomain
import ChanjiaoMatching
import Foundation

/// A small taxonomy for hand-computed cases.
///
/// Specialty `510201` relates to `6-18-01-02` and `2-02-10-03`; `000000` to nothing.
/// Demands default to occupation `6-18-01-02`, region 411282, min level associate, mode
/// order_class; programs to `510201`, region 411282, associate, all modes. So by default
/// occ = 2000, geo = 1500, lvl = 1000, and `rest = occ + geo + lvl = 4500`.
struct ScoreFixture {
    var catalog = MatchCatalog(
        skills: [
            "MET-001": "MET", "MET-002": "MET", "MET-003": "MET", "MET-004": "MET", "MET-009": "MET",
            "SAF-001": "SAF", "SAF-002": "SAF",
            "SW-001": "SW", "SW-002": "SW",
        ],
        relatedOccupations: [
            "510201": ["6-18-01-02", "2-02-10-03"],
            "000000": [],
        ])

    mutating func demand(
        id: UUID = UUID(), occupation: String = "6-18-01-02", skills: [WeightedSkill] = [],
        minLevel: EducationLevel = .associate, mode: CooperationMode = .orderClass,
        region: String = "411282", open: Bool = true
    ) throws -> DemandProfile {
        try catalog.demandProfile(
            id: id, occupationCode: occupation, skills: skills, minLevel: minLevel, mode: mode,
            regionCode: region, isOpen: open)
    }

    mutating func program(
        id: UUID = UUID(), specialty: String = "510201", skills: [SkillLevel] = [],
        level: EducationLevel = .associate, modes: CooperationModeSet = CooperationModeSet(CooperationMode.allCases),
        region: String = "411282", published: Bool = true
    ) throws -> ProgramProfile {
        try catalog.programProfile(
            id: id, specialtyCode: specialty, skills: skills, level: level, modes: modes,
            regionCode: region, capacity: 30, isPublished: published)
    }

    mutating func talent(
        id: UUID = UUID(), specialty: String? = "510201", skills: [SkillLevel] = [],
        level: EducationLevel = .associate, desired: [String] = [], regions: [String] = ["411282"],
        consent: Bool = true
    ) throws -> TalentProfile {
        try catalog.talentProfile(
            id: id, specialtyCode: specialty, skills: skills, educationLevel: level,
            desiredOccupationCodes: desired, regionCodes: regions, consent: consent)
    }
}

func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

func ask(_ code: String, _ level: Int, _ weight: Int = 1) -> WeightedSkill {
    WeightedSkill(code: code, level: level, weight: weight)
}

func held(_ code: String, _ level: Int) -> SkillLevel {
    SkillLevel(code: code, level: level)
}

/// SplitMix64: a fixed, seedable generator so random tests are reproducible.
struct ScoreTestRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random registry over a random taxonomy: few distinct values, so scores tie often.
struct RandomRegistry {
    var catalog: MatchCatalog
    var demands: [DemandProfile] = []
    var programs: [ProgramProfile] = []
    var talents: [TalentProfile] = []

    private static let regions = ["411202", "411203", "411221", "411224", "411281", "411282", "410102", "410105", "110101"]

    init(seed: UInt64, demands demandCount: Int, programs programCount: Int, talents talentCount: Int) throws {
        var rng = ScoreTestRandom(state: seed)
        let groups = ["MET", "SAF", "SW", "CHM", "LOG", "FOD", "VEH", "COL"]
        var skills: [String: String] = [:]
        for (g, group) in groups.enumerated() {
            for k in 1...(4 + g % 3) { skills["\(group)-\(zeroPadded(k, 3))"] = group }
        }
        let skillCodes = skills.keys.sorted() + ["UNK-001", "UNK-002"]  // two outside the taxonomy
        let occupations = (0..<24).map { "6-\(zeroPadded(1 + $0 % 3, 2))-\(zeroPadded(1 + $0 % 4, 2))-\(zeroPadded(1 + $0 / 12, 2))" }
        var related: [String: [String]] = [:]
        for s in 0..<12 {
            related["5102\(zeroPadded(s, 2))"] = (0..<(s % 4)).map { _ in occupations.randomElement(using: &rng)! }
        }
        let specialties = related.keys.sorted() + ["999999"]
        catalog = MatchCatalog(skills: skills, relatedOccupations: related)

        func randomID() -> UUID {
            // Small first byte range so ids share prefixes and the full 16-byte compare matters.
            var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
            bytes[0] = UInt8.random(in: 0...2, using: &rng)
            return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
        func randomSkills(_ max: Int) -> [String] {
            Array(skillCodes.shuffled(using: &rng).prefix(Int.random(in: 0...max, using: &rng)))
        }
        let levels = EducationLevel.allCases
        let modes = CooperationMode.allCases

        for _ in 0..<demandCount {
            demands.append(try catalog.demandProfile(
                id: randomID(),
                occupationCode: occupations.randomElement(using: &rng)!,
                skills: randomSkills(5).map {
                    WeightedSkill(code: $0, level: Int.random(in: 1...5, using: &rng), weight: Int.random(in: 1...3, using: &rng))
                },
                minLevel: levels.randomElement(using: &rng)!, mode: modes.randomElement(using: &rng)!,
                regionCode: Self.regions.randomElement(using: &rng)!,
                isOpen: Int.random(in: 0..<10, using: &rng) > 0))
        }
        for _ in 0..<programCount {
            programs.append(try catalog.programProfile(
                id: randomID(), specialtyCode: specialties.randomElement(using: &rng)!,
                skills: randomSkills(8).map { SkillLevel(code: $0, level: Int.random(in: 1...5, using: &rng)) },
                level: levels.randomElement(using: &rng)!,
                modes: CooperationModeSet(modes.filter { _ in Bool.random(using: &rng) }),
                regionCode: Self.regions.randomElement(using: &rng)!, capacity: 30,
                isPublished: Int.random(in: 0..<10, using: &rng) > 0))
        }
        for _ in 0..<talentCount {
            talents.append(try catalog.talentProfile(
                id: randomID(),
                specialtyCode: Bool.random(using: &rng) ? specialties.randomElement(using: &rng)! : nil,
                skills: randomSkills(6).map { SkillLevel(code: $0, level: Int.random(in: 1...5, using: &rng)) },
                educationLevel: levels.randomElement(using: &rng)!,
                desiredOccupationCodes: (0..<Int.random(in: 0...2, using: &rng)).map { _ in occupations.randomElement(using: &rng)! },
                regionCodes: (0..<Int.random(in: 0...3, using: &rng)).map { _ in Self.regions.randomElement(using: &rng)! },
                consent: Bool.random(using: &rng)))
        }
    }
}

/// The plain brute-force ranking the recommendations must equal: every candidate scored with
/// `score(_:_:)`, kept if ≥ minScore, ordered by score descending then the lowercase id
/// string ascending, cut at `limit`.
func bruteForceRanking(_ scores: [(id: UUID, score: Int?)], minScore: Int, limit: Int) -> [(index: Int, score: Int)] {
    let kept = scores.enumerated().compactMap { index, pair -> (index: Int, id: String, score: Int)? in
        guard let score = pair.score, score >= minScore else { return nil }
        return (index, pair.id.uuidString.lowercased(), score)
    }
    return kept.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        .prefix(limit).map { ($0.index, $0.score) }
}
