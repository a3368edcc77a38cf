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
    let table: AskedSkillTable
    let skillScorer: AskedSkillTable.Scorer
    let occupation: OccupationPoints
    let geoBySet: [Int]
    let lvlByFilter: [Int]
    let config: ScoreConfig
    var heap: TopKHeap
    private var visited: VisitedSet
    private var bar: Int

    init(
        demand: DemandProfile, columns: SupplyColumns, heads: UnsafeBufferPointer<SupplyHead>,
        skills: UnsafeBufferPointer<UInt64>, table: AskedSkillTable, skillScorer: AskedSkillTable.Scorer,
        occupation: OccupationPoints, geoBySet: [Int], lvlByFilter: [Int], config: ScoreConfig, heap: TopKHeap
    ) {
        self.demand = demand
        self.columns = columns
        self.heads = heads
        self.skills = skills
        self.table = table
        self.skillScorer = skillScorer
        self.occupation = occupation
        self.geoBySet = geoBySet
        self.lvlByFilter = lvlByFilter
        self.config = config
        self.heap = heap
        visited = VisitedSet(count: heads.count)
        bar = config.minScore
    }

    mutating func run() {
        // Round one: whoever holds an asked skill itself, the likeliest to score high.
        for asked in demand.skills { visit(columns.bySkill, Int(asked.skill)) }
        // Round two: the others earn group credit at most, so a run of them (one occupation
        // set, one region set) is read only if that bound with its occ and geo reaches the bar.
        visitRuns(columns.runs, occupation: occupation, geoByInner: geoBySet)
    }

    /// Whether a candidate holding no asked skill exactly can reach the bar with these parts.
    func reaches(occ: Int, geo: Int, lvl: Int) -> Bool {
        let (numerator, denominator) = config.scoreFraction(
            weightSum: demand.weightSum, n: table.groupCredit, occ: occ, rest: occ + geo + lvl)
        return ScoreMath.roundHalfEven(numerator, denominator, isAtLeast: bar)
    }

    // The candidate's score is at most `skillMax + occ + geo + lvl` (N ≤ 120·W; without skills
    // occ ≤ occRelated), so one whose bound is below the bar provably cannot be in the result,
    // and its skill part is not computed. Anything that could tie is still scored (a tie with
    // a lower id enters). One that passes has its skill part bounded once more, from bit masks
    // (`AskedSkillTable.Scorer.creditBound`), before the exact one. Whether the exact score
    // reaches the bar is decided by cross-multiplication; only candidates that enter the heap
    // pay for the division that rounds their score.
    @inline(__always)
    mutating func visit(_ position: Int) {
        if visited.insert(position) { consider(position) }
    }

    @inline(__always)
    private mutating func consider(_ position: Int) {
        let head = heads[position]
        let occ = occupation.byKey[Int(head.occupationSet)]
        let rest = occ + geoBySet[Int(head.regionSet)] + lvlByFilter[Int(head.filter)]
        let weightSum = demand.weightSum
        // No shared group: N = 0, so the skill part adds nothing (unless the demand has no
        // skills, where it is the occupation part).
        let overlaps = head.skillMask & table.skillMask != 0
        if (weightSum == 0 || overlaps ? config.skillMax : 0) + rest < bar { return }
        var n = 0
        if weightSum > 0 && overlaps {
            let bound = skillScorer.creditBound(groupMask: head.skillMask, skillBits: head.skillBits)
            let (best, denominator) = config.scoreFraction(weightSum: weightSum, n: bound, occ: occ, rest: rest)
            guard ScoreMath.roundHalfEven(best, denominator, isAtLeast: bar) else { return }
            n = skillScorer.numerator(skills, head.skillRange)
        }
        let (numerator, denominator) = config.scoreFraction(weightSum: weightSum, n: n, occ: occ, rest: rest)
        guard ScoreMath.roundHalfEven(numerator, denominator, isAtLeast: bar) else { return }
        heap.offer(
            score: ScoreMath.roundHalfEven(numerator, denominator), key: columns.keys[position],
            index: Int(columns.record[position]))
        bar = max(config.minScore, heap.entryScore)
    }
}
