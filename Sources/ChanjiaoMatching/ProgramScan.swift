/// One program held against a `DemandPool` in a match run: its per-program tables (occ, geo,
/// lvl and its taught skills, as a recommendation has them), its candidates (`DemandBitmaps`:
/// the demands the bound test could keep at all) and the eligible demands found so far.
///
/// The scan goes a slice of the pool at a time (`scan(words:)`), so that `EligibleArcs` can
/// hold a block of programs against one slice while the slice's heads and skills are in
/// cache, instead of streaming the whole pool through the cache once per program.
struct ProgramScan {
    private let table: HeldSkillTable
    private let occupation: [Int]
    private let geoByRegion: [Int]
    private let lvlByFilter: [Int]
    private let config: ScoreConfig
    private var candidates: [UInt64] = []
    /// The eligible demands with their scores, by index in the pool's profiles, in the pool's
    /// order.
    private(set) var found: [(demand: Int32, score: Int32)] = []

    /// Nil for a program that matches nothing (not published).
    init?(_ program: ProgramProfile, pool: DemandPool, bitmaps: DemandBitmaps, scorer: MatchScorer) {
        guard program.isPublished else { return nil }
        let config = scorer.config
        let bar = config.minScore
        table = HeldSkillTable(skills: program.skills, occupations: program.occupations, occupationGroups: program.occupationGroups)
        occupation = table.occupationPoints(groups: pool.occupationGroups, config).byKey
        geoByRegion = pool.regions.map { ScoreMath.geo($0, program.regionCode, config) }
        lvlByFilter = scorer.demandLevels(modes: program.modes.rawValue, rank: program.rank)
        self.config = config
        bitmaps.sharing(table.skillMask, into: &candidates)
        // The runs where occ + geo + the best lvl reach the bar without any skill credit.
        let lvlMax = lvlByFilter.max() ?? MatchScorer.ineligible
        let geoMax = geoByRegion.max() ?? config.geoOther
        for (outer, occ) in occupation.enumerated() where occ + geoMax + lvlMax >= bar {
            for r in pool.runs.range(of: outer) {
                let run = pool.runs.runs[r]
                guard occ + geoByRegion[Int(run.inner)] + lvlMax >= bar else { continue }
                DemandBitmaps.insert(Int(run.start)..<Int(run.end), into: &candidates)
            }
        }
    }

    /// Scores the candidates in `words` (64 pool positions each) exactly and keeps those that
    /// reach `min_score`: `DemandScan.score` with the bar fixed there.
    mutating func scan(words: Range<Int>, of pool: DemandPool) {
        let config = config
        let table = table
        // Moved out and back, so that appending inside the closures never copies it.
        var found = found
        self.found = []
        defer { self.found = found }
        table.withScorer { skillScorer in
            pool.heads.withUnsafeBufferPointer { heads in
                pool.skills.withUnsafeBufferPointer { skills in
                    pool.record.withUnsafeBufferPointer { record in
                        occupation.withUnsafeBufferPointer { occupation in
                            geoByRegion.withUnsafeBufferPointer { geoByRegion in
                                lvlByFilter.withUnsafeBufferPointer { lvlByFilter in
                                    for w in words {
                                        var word = candidates[w]
                                        while word != 0 {
                                            let position = w << 6 | word.trailingZeroBitCount
                                            word &= word - 1
                                            let head = heads[position]
                                            let occ = occupation[Int(head.occupation)]
                                            let rest = occ + geoByRegion[Int(head.regionIndex)] + lvlByFilter[Int(head.filter)]
                                            guard
                                                let score = DemandScan.score(
                                                    head, skills: skills, table: table, skillScorer: skillScorer, occ: occ, rest: rest,
                                                    config: config, bar: config.minScore)
                                            else { continue }
                                            found.append((record[position], Int32(score)))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
