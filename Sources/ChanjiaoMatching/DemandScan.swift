/// One request's ranking of demands for a program or a talent, in the same two rounds as
/// `SupplyScan`: first the demands asking a skill the other side holds itself (a skill →
/// demands list), then the runs of one occupation and one region (`DemandPool.runs`), best
/// occ first, each read only if its bound reaches the bar. A demand asking for no held skill
/// earns at most a same-group credit (60 of 120) for each asked skill, so its skill part is at
/// most half of `skillMax` — or, without skills, the occupation part. The result is the same
/// as a scan of every demand; only the work differs.
struct DemandScan: PoolScan {
    let pool: DemandPool
    let heads: UnsafeBufferPointer<DemandHead>
    let skills: UnsafeBufferPointer<UInt64>
    /// The other side's skills.
    let table: HeldSkillTable
    let skillScorer: HeldSkillTable.Scorer
    let occupation: OccupationPoints
    let geoByRegion: [Int]
    let lvlByFilter: [Int]
    let config: ScoreConfig
    var heap: TopKHeap
    private var bar: Int
    private var visited: VisitedSet

    init(
        pool: DemandPool, heads: UnsafeBufferPointer<DemandHead>, skills: UnsafeBufferPointer<UInt64>,
        table: HeldSkillTable, skillScorer: HeldSkillTable.Scorer,
        occupation: OccupationPoints, geoByRegion: [Int], lvlByFilter: [Int], config: ScoreConfig, heap: TopKHeap
    ) {
        self.pool = pool
        self.heads = heads
        self.skills = skills
        self.table = table
        self.skillScorer = skillScorer
        self.occupation = occupation
        self.geoByRegion = geoByRegion
        self.lvlByFilter = lvlByFilter
        self.config = config
        self.heap = heap
        bar = config.minScore
        visited = VisitedSet(count: heads.count)
    }

    mutating func run() {
        for skill in table.skillIDs { visit(pool.bySkill, Int(skill)) }
        visitRuns(pool.runs, occupation: occupation, geoByInner: geoByRegion)
    }

    /// Whether a demand asking for no held skill can reach the bar with these parts: the skill
    /// part is at most skillMax / 2, or skillMax · occ / occRelated without skills (both over
    /// the denominator 2 · occRelated).
    func reaches(occ: Int, geo: Int, lvl: Int) -> Bool {
        let skillPart = max(config.skillMax * config.occRelated, 2 * config.skillMax * occ)
        let denominator = 2 * config.occRelated
        return ScoreMath.roundHalfEven(skillPart + denominator * (occ + geo + lvl), denominator, isAtLeast: bar)
    }

    // As `SupplyScan.consider`, without the mask bound (the held side is the fixed one here,
    // and the exact skill part is one table read per asked skill).
    @inline(__always)
    mutating func visit(_ position: Int) {
        if visited.insert(position) { consider(position) }
    }

    @inline(__always)
    private mutating func consider(_ position: Int) {
        let head = heads[position]
        let occ = occupation.byKey[Int(head.occupation)]
        let rest = occ + geoByRegion[Int(head.regionIndex)] + lvlByFilter[Int(head.filter)]
        guard let score = Self.score(head, skills: skills, table: table, skillScorer: skillScorer, occ: occ, rest: rest, config: config, bar: bar)
        else { return }
        heap.offer(score: score, key: pool.keys[position], index: Int(pool.record[position]))
        bar = max(config.minScore, heap.entryScore)
    }

    /// The demand's exact score against the held side, or nil when it is below `bar`; `rest`
    /// is occ + geo + lvl (lvl `ineligible` when a hard filter fails). A demand sharing no
    /// skill mask bit with the held side earns no skill credit, so its bound is `rest` alone
    /// (skillMax · occ / occRelated, at most skillMax, without skills): most pairs end at that
    /// one comparison, before any skill is read. The rest are bounded once more from bits
    /// before their skills are read: only the weight behind the shared bits can earn credit
    /// (`DemandHead.heaviestBits`), and at most half credit (60 of 120) unless an exact skill
    /// bit is shared too.
    @inline(__always)
    static func score(
        _ head: DemandHead, skills: UnsafeBufferPointer<UInt64>, table: HeldSkillTable, skillScorer: HeldSkillTable.Scorer,
        occ: Int, rest: Int, config: ScoreConfig, bar: Int
    ) -> Int? {
        let weightSum = Int(head.weightSum)
        let shared = head.skillMask & table.skillMask
        if (weightSum == 0 || shared != 0 ? config.skillMax : 0) + rest < bar { return nil }
        var n = 0
        if weightSum > 0 && shared != 0 {
            let bits = shared.nonzeroBitCount
            let weight = bits == 1 ? Int(head.heaviestBits.one) : bits == 2 ? Int(head.heaviestBits.two) : weightSum
            let credit = head.skillBits & table.skillBits != 0 ? ScoreMath.maxCredit : ScoreMath.creditUnit
            let (best, denominator) = config.scoreFraction(weightSum: weightSum, n: credit * weight, occ: occ, rest: rest)
            guard ScoreMath.roundHalfEven(best, denominator, isAtLeast: bar) else { return nil }
            n = skillScorer.numerator(skills, head.skillRange)
        }
        let (numerator, denominator) = config.scoreFraction(weightSum: weightSum, n: n, occ: occ, rest: rest)
        guard ScoreMath.roundHalfEven(numerator, denominator, isAtLeast: bar) else { return nil }
        return ScoreMath.roundHalfEven(numerator, denominator)
    }
}
