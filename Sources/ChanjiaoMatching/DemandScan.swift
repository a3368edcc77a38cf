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
    let skillScorer: HeldSkillTable.Scorer
    /// The other side's skill ids.
    let heldSkills: [Int32]
    let supplyMask: UInt64
    let occByOccupation: [Int]
    let geoByRegion: [Int]
    let lvlByFilter: [Int]
    let config: ScoreConfig
    var heap: TopKHeap
    private var bar: Int
    var visited: VisitedSet

    init(
        pool: DemandPool, heads: UnsafeBufferPointer<DemandHead>, skills: UnsafeBufferPointer<UInt64>,
        skillScorer: HeldSkillTable.Scorer, heldSkills: [Int32], supplyMask: UInt64,
        occByOccupation: [Int], geoByRegion: [Int], lvlByFilter: [Int], config: ScoreConfig, heap: TopKHeap
    ) {
        self.pool = pool
        self.heads = heads
        self.skills = skills
        self.skillScorer = skillScorer
        self.heldSkills = heldSkills
        self.supplyMask = supplyMask
        self.occByOccupation = occByOccupation
        self.geoByRegion = geoByRegion
        self.lvlByFilter = lvlByFilter
        self.config = config
        self.heap = heap
        bar = config.minScore
        visited = VisitedSet(count: heads.count)
    }

    mutating func run() {
        for skill in heldSkills { visit(pool.bySkill, Int(skill)) }
        let lvlMax = lvlByFilter.max() ?? MatchScorer.ineligible
        let geoMax = geoByRegion.max() ?? config.geoOther
        for occupation in occByOccupation.indices.sorted(by: { occByOccupation[$0] > occByOccupation[$1] }) {
            visitRuns(
                pool.runs, of: occupation, occ: occByOccupation[occupation], geoByInner: geoByRegion,
                geoMax: geoMax, lvlMax: lvlMax)
        }
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
    mutating func consider(_ position: Int) {
        let head = heads[position]
        let occ = occByOccupation[Int(head.occupation)]
        let rest = occ + geoByRegion[Int(head.regionIndex)] + lvlByFilter[Int(head.filter)]
        let overlaps = head.skillMask & supplyMask != 0
        if (head.weightSum == 0 || overlaps ? config.skillMax : 0) + rest < bar { return }
        let numerator: Int, divisor: Int
        if head.weightSum == 0 {
            (numerator, divisor) = (config.skillMax * occ + config.occRelated * rest, config.occRelated)
        } else {
            let n = overlaps ? skillScorer.numerator(skills, Int(head.skillStart)..<Int(head.skillEnd)) : 0
            let denominator = ScoreMath.maxCredit * Int(head.weightSum)
            (numerator, divisor) = (config.skillMax * n + denominator * rest, denominator)
        }
        guard ScoreMath.roundHalfEven(numerator, divisor, isAtLeast: bar) else { return }
        heap.offer(
            score: ScoreMath.roundHalfEven(numerator, divisor), key: pool.keys[position],
            index: Int(pool.record[position]))
        bar = max(config.minScore, heap.entryScore)
    }
}
