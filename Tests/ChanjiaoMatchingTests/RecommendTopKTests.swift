import ChanjiaoDomain
import ChanjiaoMatching
import Foundation
import Testing

@Suite struct RecommendTopKTests {
    /// Point values under which the skill part matters little: candidates that hold no asked
    /// skill exactly (which programs and talents for a demand visit last, in runs bounded as a
    /// whole) then often make the top of the list.
    static let skillLight = ScoreConfig(
        skillMax: 800, occRelated: 3000, occMinorGroup: 2500, occOther: 2000,
        geoCounty: 3000, geoPrefecture: 2900, geoProvince: 100, geoOther: 0,
        levelMeets: 1000, levelOneBelow: 900, minScore: 4000)

    /// The four directions equal plain brute force (every pair through `score`, sorted by
    /// score descending then lowercase id) on a random registry, for several limits, for a
    /// high `min_score`, which exercises both kinds of pruning (below `min_score`, and below
    /// the k-th kept score), and for other point values.
    @Test(arguments: [
        ScoreConfig.standard, { var c = ScoreConfig.standard; c.minScore = 7000; return c }(), Self.skillLight,
    ])
    func equalsBruteForce(config: ScoreConfig) throws {
        let registry = try RandomRegistry(seed: 20_241_231, demands: 3000, programs: 3000, talents: 2000)
        let minScore = config.minScore
        let scorer = try MatchScorer(config: config)
        let limits = [1, 3, 10, 50, 100_000]
        func check(_ got: [RankedMatch], _ expected: [(index: Int, score: Int)], ids: [UUID]) {
            #expect(got.map(\.index) == expected.map(\.index))
            #expect(got.map(\.score) == expected.map(\.score))
            #expect(got.map(\.id) == expected.map { ids[$0.index] })
        }
        let programPool = ProgramPool(registry.programs)
        let demandPool = DemandPool(registry.demands)
        let talentPool = TalentPool(registry.talents)
        let programIDs = registry.programs.map(\.id)
        let demandIDs = registry.demands.map(\.id)
        let talentIDs = registry.talents.map(\.id)

        for demand in registry.demands.prefix(60) {
            let programScores = registry.programs.map { (id: $0.id, score: scorer.score(demand, $0)) }
            let talentScores = registry.talents.map { (id: $0.id, score: scorer.score(demand, $0)) }
            let consentingScores = registry.talents.map { (id: $0.id, score: $0.consent ? scorer.score(demand, $0) : nil) }
            for limit in limits {
                check(scorer.topPrograms(for: demand, in: programPool, limit: limit),
                      bruteForceRanking(programScores, minScore: minScore, limit: limit), ids: programIDs)
                check(scorer.topTalents(for: demand, in: talentPool, limit: limit, consentingOnly: false),
                      bruteForceRanking(talentScores, minScore: minScore, limit: limit), ids: talentIDs)
                check(scorer.topTalents(for: demand, in: talentPool, limit: limit, consentingOnly: true),
                      bruteForceRanking(consentingScores, minScore: minScore, limit: limit), ids: talentIDs)
            }
        }
        for program in registry.programs.prefix(40) {
            let scores = registry.demands.map { (id: $0.id, score: scorer.score($0, program)) }
            for limit in limits {
                check(scorer.topDemands(for: program, in: demandPool, limit: limit),
                      bruteForceRanking(scores, minScore: minScore, limit: limit), ids: demandIDs)
            }
        }
        for talent in registry.talents.prefix(40) {
            let scores = registry.demands.map { (id: $0.id, score: scorer.score($0, talent)) }
            for limit in limits {
                check(scorer.topDemands(for: talent, in: demandPool, limit: limit),
                      bruteForceRanking(scores, minScore: minScore, limit: limit), ids: demandIDs)
            }
        }
    }

    @Test func equalScoresAreOrderedByIDAscending() throws {
        var f = ScoreFixture()
        let ids = [
            "ffffffff-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000002",
            "0000000a-0000-0000-0000-000000000000", "00000000-0000-0000-0000-00000000000a",
            "00000000-0000-0000-0000-000000000001",
        ].map { UUID(uuidString: $0)! }
        let programs = try ids.map { try f.program(id: $0, skills: [held("MET-004", 3)]) }
            + [try f.program(skills: [held("MET-004", 3)], region: "110101")]  // 8650, last
        let d = try f.demand(skills: [ask("MET-004", 3)])
        let ranked = MatchScorer.standard.topPrograms(for: d, in: ProgramPool(programs), limit: 10)
        #expect(ranked.map { $0.id.uuidString.lowercased() } == [
            "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002",
            "00000000-0000-0000-0000-00000000000a", "0000000a-0000-0000-0000-000000000000",
            "ffffffff-0000-0000-0000-000000000000", programs[5].id.uuidString.lowercased(),
        ])
        #expect(ranked.map(\.score) == [10000, 10000, 10000, 10000, 10000, 8650])
        #expect(MatchScorer.standard.topPrograms(for: d, in: ProgramPool(programs), limit: 2).map(\.index) == [4, 1])
    }

    @Test func belowMinScoreAndIneligibleAreLeftOut() throws {
        var f = ScoreFixture()
        let d = try f.demand(occupation: "3-01-01-01", skills: [ask("MET-004", 3)])
        let programs = [
            try f.program(skills: [held("SAF-001", 3)]),  // 0 + 0 + 1500 + 1000 = 2500 < 4000
            try f.program(skills: [held("MET-004", 3)]),  // 5500 + 0 + 1500 + 1000 = 8000
            try f.program(skills: [held("MET-004", 3)], published: false),
            try f.program(skills: [held("MET-004", 3)], level: .shortTerm),
        ]
        let ranked = MatchScorer.standard.topPrograms(for: d, in: ProgramPool(programs), limit: 10)
        #expect(ranked.map(\.index) == [1])
        #expect(ranked.map(\.score) == [8000])
        #expect(MatchScorer.standard.topPrograms(for: d, in: ProgramPool(programs), limit: 0).isEmpty)
        #expect(MatchScorer.standard.topDemands(for: programs[2], in: DemandPool([d]), limit: 10).isEmpty)
        let closed = try f.demand(skills: [ask("MET-004", 3)], open: false)
        #expect(MatchScorer.standard.topPrograms(for: closed, in: ProgramPool(programs), limit: 10).isEmpty)
        #expect(MatchScorer.standard.topDemands(for: programs[1], in: DemandPool([closed, d]), limit: 10).map(\.index) == [1])
    }

    @Test func consentOnlyHidesTalentsFromEnterprises() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3)])
        let talents = [try f.talent(skills: [held("MET-004", 3)], consent: false), try f.talent(skills: [held("MET-004", 3)])]
        let scorer = MatchScorer.standard
        #expect(scorer.topTalents(for: d, in: TalentPool(talents), limit: 10, consentingOnly: true).map(\.index) == [1])
        #expect(Set(scorer.topTalents(for: d, in: TalentPool(talents), limit: 10, consentingOnly: false).map(\.index)) == [0, 1])
    }
}
