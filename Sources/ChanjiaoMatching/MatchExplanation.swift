/// Why a pair scored what it did: the `score`, `parts`, `matched_skills` and `missing_skills`
/// members of a match item (MATCHING.md §1). The API adds the other side's record.
public struct MatchExplanation: Encodable, Sendable, Equatable {
    public let score: Int
    public let parts: MatchParts
    /// One entry per demand skill with `c(s) > 0`, in the demand's skill order.
    public let matchedSkills: [MatchedSkill]
    /// Codes of the demand skills with `c(s) = 0`, in the demand's skill order.
    public let missingSkills: [String]

    public init(score: Int, parts: MatchParts, matchedSkills: [MatchedSkill], missingSkills: [String]) {
        self.score = score
        self.parts = parts
        self.matchedSkills = matchedSkills
        self.missingSkills = missingSkills
    }

    enum CodingKeys: String, CodingKey {
        case score, parts
        case matchedSkills = "matched_skills"
        case missingSkills = "missing_skills"
    }
}

/// Each part as a fraction of its maximum, for display only: the score never reads these.
/// Each is one division of two exact integers, so it is the same double everywhere.
public struct MatchParts: Encodable, Sendable, Equatable {
    /// `N / (120·W)`; for a demand without skills, the occupation fraction (the formula's
    /// skill part is then the occupation part).
    public let skillFit: Double
    public let occFit: Double
    public let geoFit: Double
    public let levelFit: Double

    public init(skillFit: Double, occFit: Double, geoFit: Double, levelFit: Double) {
        self.skillFit = skillFit
        self.occFit = occFit
        self.geoFit = geoFit
        self.levelFit = levelFit
    }

    enum CodingKeys: String, CodingKey {
        case skillFit = "skill_fit"
        case occFit = "occ_fit"
        case geoFit = "geo_fit"
        case levelFit = "level_fit"
    }
}

/// The taught (or held) skill that gives a demand skill its credit.
public struct MatchedSkill: Encodable, Sendable, Equatable {
    public let demandSkill: String
    /// The program's taught skill, or the talent's held skill; the JSON key is the same.
    public let taughtSkill: String
    /// 1.0 for the same skill, 0.5 for the same group.
    public let sim: Double
    /// `min(taught level, asked level) / asked level`.
    public let levelFactor: Double
    /// `c(s)`, 1…120.
    public let credit: Int

    public init(demandSkill: String, taughtSkill: String, sim: Double, levelFactor: Double, credit: Int) {
        self.demandSkill = demandSkill
        self.taughtSkill = taughtSkill
        self.sim = sim
        self.levelFactor = levelFactor
        self.credit = credit
    }

    enum CodingKeys: String, CodingKey {
        case demandSkill = "demand_skill"
        case taughtSkill = "taught_skill"
        case sim
        case levelFactor = "level_factor"
        case credit
    }
}

extension MatchScorer {
    /// The explanation of an eligible pair, nil when `score(demand, program)` is nil.
    /// `catalog` must be the one that built both profiles (it turns ids back into codes).
    public func explain(_ demand: DemandProfile, _ program: ProgramProfile, catalog: MatchCatalog) -> MatchExplanation? {
        guard let score = score(demand, program), let lvl = levelPoints(demand, program.rank) else { return nil }
        return explanation(
            demand, held: program.skills, score: score,
            occ: occupationPoints(demand, program.occupations, program.occupationGroups),
            geo: ScoreMath.geo(demand.regionCode, program.regionCode, config), lvl: lvl, catalog: catalog)
    }

    /// The explanation of an eligible pair, nil when `score(demand, talent)` is nil.
    public func explain(_ demand: DemandProfile, _ talent: TalentProfile, catalog: MatchCatalog) -> MatchExplanation? {
        guard let score = score(demand, talent), let lvl = levelPoints(demand, talent.rank) else { return nil }
        return explanation(
            demand, held: talent.skills, score: score,
            occ: occupationPoints(demand, talent.occupations, talent.occupationGroups),
            geo: bestGeo(demand.regionCode, talent.regionCodes), lvl: lvl, catalog: catalog)
    }

    private func explanation(
        _ demand: DemandProfile, held: [HeldSkill], score: Int, occ: Int, geo: Int, lvl: Int,
        catalog: MatchCatalog
    ) -> MatchExplanation {
        var matched: [MatchedSkill] = []
        var missing: [String] = []
        var n = 0
        for asked in demand.skills {
            let askedCode = catalog.skillCode(asked.skill)
            // The maximal credit, then among equals the lowest code string. Codes compare by
            // their UTF-8 bytes (never by interned id), as a database's C collation would.
            var best: (credit: Int, sim: Int, level: Int, code: String)?
            for t in held {
                let sim = t.skill == asked.skill ? 2 : (asked.group >= 0 && t.group == asked.group ? 1 : 0)
                guard sim > 0 else { continue }
                let credit = ScoreMath.credit(sim: sim, taught: Int(t.level), asked: Int(asked.level))
                let code = catalog.skillCode(t.skill)
                if let current = best {
                    guard credit > current.credit
                        || (credit == current.credit && code.utf8.lexicographicallyPrecedes(current.code.utf8))
                    else { continue }
                }
                best = (credit, sim, Int(t.level), code)
            }
            if let best, best.credit > 0 {
                n += Int(asked.weight) * best.credit
                matched.append(MatchedSkill(
                    demandSkill: askedCode, taughtSkill: best.code, sim: Double(best.sim) / 2,
                    levelFactor: Double(min(best.level, Int(asked.level))) / Double(asked.level),
                    credit: best.credit))
            } else {
                missing.append(askedCode)
            }
        }
        let occFit = Double(occ) / Double(config.occRelated)
        let skillFit = demand.weightSum == 0
            ? occFit
            : Double(n) / Double(ScoreMath.maxCredit * demand.weightSum)
        return MatchExplanation(
            score: score,
            parts: MatchParts(
                skillFit: skillFit, occFit: occFit,
                geoFit: Double(geo) / Double(config.geoCounty),
                levelFit: Double(lvl) / Double(config.levelMeets)),
            matchedSkills: matched, missingSkills: missing)
    }
}
