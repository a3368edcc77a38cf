/// One request's ranking of programs or talents for a demand: the per-request tables, the
/// top-k heap and its bar (the lowest score that can still enter).
///
/// Candidates are visited in two rounds, so that the bar rises before most are looked at and
/// most are never looked at: first those holding an asked skill itself, then the runs of
/// records sharing an occupation set and a region set (`SupplyColumns.runs`), best occ first,
/// each skipped as a whole when even group credit for every asked skill with that occ, geo and
/// the best lvl stays below the bar. The result is the same as a scan of every candidate; only
/// the work differs.
///
/// A struct with mutating methods, not closures over local variables: the hot path then needs
/// no dynamic exclusivity checks.
struct SupplyScan: PoolScan {
    let demand: DemandProfile
    let columns: SupplyColumns
    let heads: UnsafeBufferPointer<SupplyHead>
    let skills: UnsafeBufferPointer<UInt64>
    let skillScorer: AskedSkillTable.Scorer
    let occBySet: [Int]
    /// The occupation sets with occ above `occOther`, best first; all others have `occOther`.
    let favouredSets: [Int]
    let geoBySet: [Int]
    let lvlByFilter: [Int]
    let config: ScoreConfig
    var heap: TopKHeap
    private var bar: Int
    private let demandMask: UInt64
    private let denominator: Int
    /// The most N a candidate can earn without holding an asked skill exactly: creditUnit
    /// for each asked skill with a group, nothing for one without.
    private let groupCredit: Int
    var visited: VisitedSet

    init(
        demand: DemandProfile, columns: SupplyColumns, heads: UnsafeBufferPointer<SupplyHead>,
        skills: UnsafeBufferPointer<UInt64>, skillScorer: AskedSkillTable.Scorer,
        occupation: (bySet: [Int], favoured: [Int]), geoBySet: [Int], lvlByFilter: [Int], config: ScoreConfig,
        heap: TopKHeap
    ) {
        self.demand = demand
        self.columns = columns
        self.heads = heads
        self.skills = skills
        self.skillScorer = skillScorer
        occBySet = occupation.bySet
        favouredSets = occupation.favoured
        self.geoBySet = geoBySet
        self.lvlByFilter = lvlByFilter
        self.config = config
        self.heap = heap
        bar = config.minScore
        demandMask = SkillMask.of(demand.skills.lazy.map { ($0.skill, $0.group) })
        denominator = ScoreMath.maxCredit * demand.weightSum
        groupCredit = demand.skills.reduce(0) { $0 + ($1.group >= 0 ? ScoreMath.creditUnit * Int($1.weight) : 0) }
        visited = VisitedSet(count: heads.count)
    }

    mutating func run() {
        // Round one: whoever holds an asked skill itself, the likeliest to score high.
        for asked in demand.skills { visit(columns.bySkill, Int(asked.skill)) }
        // Round two: the others earn group credit at most, so a run of them (one occupation
        // set, one region set) is read only if that bound with its occ and geo reaches the bar.
        let lvlMax = lvlByFilter.max() ?? MatchScorer.ineligible
        let geoMax = geoBySet.max() ?? config.geoOther
        for set in favouredSets { visitRuns(of: set, geoMax: geoMax, lvlMax: lvlMax) }
        // Every other set has occ = occOther: one bound decides for all of them.
        guard reaches(occ: config.occOther, geo: geoMax, lvl: lvlMax) else { return }
        let favoured = Set(favouredSets)
        for set in occBySet.indices where !favoured.contains(set) { visitRuns(of: set, geoMax: geoMax, lvlMax: lvlMax) }
    }

    private mutating func visitRuns(of set: Int, geoMax: Int, lvlMax: Int) {
        visitRuns(columns.runs, of: set, occ: occBySet[set], geoByInner: geoBySet, geoMax: geoMax, lvlMax: lvlMax)
    }

    /// Whether a candidate holding no asked skill exactly can reach the bar with these parts.
    func reaches(occ: Int, geo: Int, lvl: Int) -> Bool {
        let rest = occ + geo + lvl
        if demand.weightSum == 0 {
            return ScoreMath.roundHalfEven(config.skillMax * occ + config.occRelated * rest, config.occRelated, isAtLeast: bar)
        }
        return ScoreMath.roundHalfEven(config.skillMax * groupCredit + denominator * rest, denominator, isAtLeast: bar)
    }

    // The candidate's score is at most `skillMax + occ + geo + lvl` (N ≤ 120·W; without skills
    // occ ≤ occRelated), so one whose bound is below the bar provably cannot be in the result,
    // and its skill part is not computed. Anything that could tie is still scored (a tie with
    // a lower id enters). One that passes has its skill part bounded once more, from bit masks
    // (`AskedSkillTable.Scorer.creditBound`), before the exact one. Whether the exact score
    // reaches the bar is decided by cross-multiplication; only candidates that enter the heap
    // pay for the division that rounds their score.
    @inline(__always)
    mutating func consider(_ position: Int) {
        let head = heads[position]
        let occ = occBySet[Int(head.occupationSet)]
        let rest = occ + geoBySet[Int(head.regionSet)] + lvlByFilter[Int(head.filter)]
        let weightSum = demand.weightSum
        // No shared group: N = 0, so the skill part adds nothing (unless the demand has no
        // skills, where it is the occupation part).
        let overlaps = head.skillMask & demandMask != 0
        if (weightSum == 0 || overlaps ? config.skillMax : 0) + rest < bar { return }
        let numerator: Int, divisor: Int
        if weightSum == 0 {
            (numerator, divisor) = (config.skillMax * occ + config.occRelated * rest, config.occRelated)
        } else {
            var n = 0
            if overlaps {
                let bound = skillScorer.creditBound(groupMask: head.skillMask, skillBits: head.skillBits)
                guard ScoreMath.roundHalfEven(config.skillMax * bound + denominator * rest, denominator, isAtLeast: bar)
                else { return }
                n = skillScorer.numerator(skills, head.skillRange)
            }
            (numerator, divisor) = (config.skillMax * n + denominator * rest, denominator)
        }
        guard ScoreMath.roundHalfEven(numerator, divisor, isAtLeast: bar) else { return }
        heap.offer(
            score: ScoreMath.roundHalfEven(numerator, divisor), key: columns.keys[position],
            index: Int(columns.record[position]))
        bar = max(config.minScore, heap.entryScore)
    }
}
