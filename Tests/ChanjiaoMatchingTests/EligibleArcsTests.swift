@testable import ChanjiaoMatching
import Testing

@Suite struct EligibleArcsTests {
    /// Scored on every core, the arcs are exactly what one loop over every pair finds, in the
    /// same program-major order: also where one slice of programs holds several blocks and the
    /// demands are read in several slices (`programsPerBlock`, `wordsPerSlice`), whatever the
    /// number of cores.
    @Test(arguments: [(0, 0, 16), (1, 700, 16), (37, 1, 16), (1500, 900, 16), (70, 5_000, 1), (100, 5_000, 3)])
    func equalOneLoopOverEveryPair(programs: Int, demands: Int, slices: Int) throws {
        let registry = try RandomRegistry(seed: 7_001, demands: demands, programs: programs, talents: 0)
        let scorer = MatchScorer.standard
        var expected: [(Int32, Int32, Int32)] = []
        for (p, program) in registry.programs.enumerated() {
            for (d, demand) in registry.demands.enumerated() {
                guard let score = scorer.score(demand, program), score >= scorer.config.minScore else { continue }
                expected.append((Int32(p), Int32(d), Int32(min(score, 5_000))))
            }
        }
        let arcs = EligibleArcs(
            programs: registry.programs, demands: registry.demands, scorer: scorer, scoreCap: 5_000, slices: slices)
        if demands == 5_000 {
            #expect(programs / slices > EligibleArcs.programsPerBlock && demands > 2 * 64 * EligibleArcs.wordsPerSlice)
        }
        #expect(arcs.count == expected.count)
        #expect(arcs.programs == expected.map(\.0))
        #expect(arcs.demands == expected.map(\.1))
        #expect(arcs.scores == expected.map(\.2))
        if programs * demands > 100_000 { #expect(arcs.count > 1_000, "the instance has arcs to compare") }
    }

    /// The bound behind the bits: skills sharing a bit (one group) add up; the two heaviest
    /// bits are kept.
    @Test func heaviestBitsAddUpTheSkillsBehindEachBit() {
        // (skill, group, weight): skills 1 and 2 in group 5, skill 3 in group 7, skill 9 without one.
        let bits = SkillMask.heaviestBits([(1, 5, 2), (2, 5, 3), (3, 7, 4), (9, -1, 1)])
        #expect(bits.one == 5 && bits.two == 9)
        let single = SkillMask.heaviestBits([(4, 2, 3)])
        #expect(single.one == 3 && single.two == 3)
        let none = SkillMask.heaviestBits([])
        #expect(none.one == 0 && none.two == 0)
    }
}
