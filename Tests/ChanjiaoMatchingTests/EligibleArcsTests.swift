import ChanjiaoMatching
import Testing

@Suite struct EligibleArcsTests {
    /// Scored on every core, the arcs are exactly what one loop over every pair finds, in the
    /// same program-major order: also where programs go in several blocks and the demands in
    /// several slices (blocks of 32 programs, slices of 2,048 demands).
    @Test(arguments: [(0, 0), (1, 700), (37, 1), (1500, 900), (70, 5_000)])
    func equalOneLoopOverEveryPair(programs: Int, demands: Int) throws {
        let registry = try RandomRegistry(seed: 7_001, demands: demands, programs: programs, talents: 0)
        let scorer = MatchScorer.standard
        var expected: [(Int32, Int32, Int32)] = []
        for (p, program) in registry.programs.enumerated() {
            for (d, demand) in registry.demands.enumerated() {
                guard let score = scorer.score(demand, program), score >= scorer.config.minScore else { continue }
                expected.append((Int32(p), Int32(d), Int32(min(score, 5_000))))
            }
        }
        let arcs = EligibleArcs(programs: registry.programs, demands: registry.demands, scorer: scorer, scoreCap: 5_000)
        #expect(arcs.count == expected.count)
        #expect(arcs.programs == expected.map(\.0))
        #expect(arcs.demands == expected.map(\.1))
        #expect(arcs.scores == expected.map(\.2))
        if programs * demands > 100_000 { #expect(arcs.count > 1_000, "the instance has arcs to compare") }
    }
}
