/// Scores demand ↔ program and demand ↔ talent pairs exactly per MATCHING.md §1.
///
/// `score` returns nil for an ineligible pair, else the integer score. Every part is an
/// integer and the total is one exact fraction rounded half to even, so any implementation
/// of the page gets the same integer.
public struct MatchScorer: Sendable {
    public let config: ScoreConfig

    /// Rejects a config that does not pass `ScoreConfig.validate()`.
    public init(config: ScoreConfig) throws(ScoreConfigError) {
        try config.validate()
        self.config = config
    }

    private init(validated config: ScoreConfig) { self.config = config }

    /// The scorer with the documented defaults.
    public static let standard = MatchScorer(validated: .standard)

    /// nil when a hard filter fails: demand not open, program not published, the demand's
    /// mode not among the program's modes, or the program two or more ranks below `minLevel`.
    public func score(_ demand: DemandProfile, _ program: ProgramProfile) -> Int? {
        guard demand.isOpen, program.isPublished, program.modes.rawValue & demand.modeBit != 0,
              let lvl = levelPoints(demand, program.rank) else { return nil }
        let occ = occupationPoints(demand, program.occupations, program.occupationGroups)
        let geo = ScoreMath.geo(demand.regionCode, program.regionCode, config)
        return total(demand, n: skillNumerator(demand.skills, program.skills), occ: occ, rest: occ + geo + lvl)
    }

    /// As for programs, without the mode filter: occ over the talent's occupations, geo the
    /// best over its region codes, level from its education level. Consent is a visibility
    /// rule for recommendations, not part of the score.
    public func score(_ demand: DemandProfile, _ talent: TalentProfile) -> Int? {
        guard demand.isOpen, let lvl = levelPoints(demand, talent.rank) else { return nil }
        let occ = occupationPoints(demand, talent.occupations, talent.occupationGroups)
        let geo = bestGeo(demand.regionCode, talent.regionCodes)
        return total(demand, n: skillNumerator(demand.skills, talent.skills), occ: occ, rest: occ + geo + lvl)
    }

    // MARK: parts

    /// lvl, or nil when the level hard filter fails (`rank < minRank − 1`).
    func levelPoints(_ demand: DemandProfile, _ rank: Int) -> Int? {
        levelPoints(minRank: demand.minRank, rank)
    }

    func levelPoints(minRank: Int, _ rank: Int) -> Int? {
        if rank >= minRank { return config.levelMeets }
        if rank == minRank - 1 { return config.levelOneBelow }
        return nil
    }

    func occupationPoints(_ demand: DemandProfile, _ occupations: [Int32], _ groups: [Int32]) -> Int {
        if occupations.contains(demand.occupation) { return config.occRelated }
        if demand.occupationGroup >= 0, groups.contains(demand.occupationGroup) { return config.occMinorGroup }
        return config.occOther
    }

    func bestGeo(_ region: Int32, _ regions: [Int32]) -> Int {
        var best = config.geoOther
        for other in regions { best = max(best, ScoreMath.geo(region, other, config)) }
        return best
    }

    /// `c(s)` of one demand skill against everything the other side teaches or holds.
    static func credit(_ asked: AskedSkill, _ held: [HeldSkill]) -> Int {
        var best = 0
        for t in held {
            let sim = t.skill == asked.skill ? 2 : (asked.group >= 0 && t.group == asked.group ? 1 : 0)
            if sim > 0 {
                best = max(best, ScoreMath.credit(sim: sim, taught: Int(t.level), asked: Int(asked.level)))
            }
        }
        return best
    }

    /// `N = Σ weight · c(s)`: the direct definition, used for single pairs and explanations;
    /// recommendations use the table-driven equivalent in `RecommendQueries.swift`.
    func skillNumerator(_ asked: [AskedSkill], _ held: [HeldSkill]) -> Int {
        asked.reduce(0) { $0 + Int($1.weight) * Self.credit($1, held) }
    }

    /// The score from `N`, `occ` and `rest = occ + geo + lvl`.
    ///
    /// With skills: `round_half_even((skillMax·N + 120·W·rest) / (120·W))`.
    /// Without (`W = 0`) the skill part is `skillMax · occ / occRelated`. With the defaults that
    /// is always whole (0, 2750, 5500), but a custom config can make it a fraction
    /// (`skill_max` 5501, occ 1000 → 2750.5). We keep the whole score as one exact fraction,
    /// `(skillMax·occ + occRelated·rest) / occRelated`, and round it once, half to even, the
    /// same rule as the other branch — never a truncating division of the skill part.
    ///
    /// Bounds: config values ≤ 10⁶ and `N ≤ 120·W`, so both numerators stay below
    /// `4·10⁶ · 120 · W`, about 1.4·10⁹ per unit of weight: no 64-bit overflow for any demand.
    func total(_ demand: DemandProfile, n: Int, occ: Int, rest: Int) -> Int {
        total(weightSum: demand.weightSum, n: n, occ: occ, rest: rest)
    }

    @inline(__always)
    func total(weightSum: Int, n: Int, occ: Int, rest: Int) -> Int {
        let (numerator, denominator) = config.scoreFraction(weightSum: weightSum, n: n, occ: occ, rest: rest)
        return ScoreMath.roundHalfEven(numerator, denominator)
    }
}
