import ChanjiaoDomain
import ChanjiaoMatching
import Testing

/// The formula of MATCHING.md §1 on hand-computed cases. Unless a case says otherwise the
/// fixture gives occ 2000 + geo 1500 + lvl 1000 = rest 4500, and
/// score = round_half_even((5500·N + 120·W·rest) / (120·W)).
@Suite struct ScoreFormulaTests {
    let scorer = MatchScorer.standard

    @Test func roundHalfEvenOfExactFractions() {
        #expect(ScoreMath.roundHalfEven(14825, 2) == 7412)  // 7412.5 → even 7412
        #expect(ScoreMath.roundHalfEven(14827, 2) == 7414)  // 7413.5 → even 7414
        #expect(ScoreMath.roundHalfEven(7, 3) == 2)  // 2.33
        #expect(ScoreMath.roundHalfEven(8, 3) == 3)  // 2.67
        #expect(ScoreMath.roundHalfEven(1, 2) == 0)  // 0.5 → 0
        #expect(ScoreMath.roundHalfEven(3, 2) == 2)  // 1.5 → 2
        #expect(ScoreMath.roundHalfEven(0, 5) == 0)
    }

    /// The division-free threshold test recommendations use agrees with rounding, ties included.
    @Test func roundHalfEvenThresholdTestAgreesWithRounding() {
        var disagreements: [(numerator: Int, denominator: Int, threshold: Int)] = []
        for denominator in 1...12 {
            for numerator in 0...240 {
                let rounded = ScoreMath.roundHalfEven(numerator, denominator)
                for threshold in 0...22
                where ScoreMath.roundHalfEven(numerator, denominator, isAtLeast: threshold) != (rounded >= threshold) {
                    disagreements.append((numerator, denominator, threshold))
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }

    @Test func creditIsAWholeNumberForEveryLevelPair() {
        for sim in 0...2 {
            for taught in 1...5 {
                for asked in 1...5 {
                    let exact = 60 * sim * min(taught, asked)
                    #expect(exact % asked == 0)
                    #expect(ScoreMath.credit(sim: sim, taught: taught, asked: asked) == exact / asked)
                }
            }
        }
        #expect(ScoreMath.credit(sim: 2, taught: 5, asked: 5) == 120)
    }

    @Test func exactSkillAtTheLevelAsked() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3, 2)])
        let p = try f.program(skills: [held("MET-004", 3)])
        // c = 60·2·3/3 = 120; N = 2·120 = 240; W = 2
        // (5500·240 + 240·4500) / 240 = (1 320 000 + 1 080 000) / 240 = 10000
        #expect(scorer.score(d, p) == 10000)
    }

    @Test func taughtBelowTheLevelAsked() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3)])
        let p = try f.program(skills: [held("MET-004", 2)])
        // c = 60·2·2/3 = 80; (5500·80 + 120·4500) / 120 = 980 000 / 120 = 8166.67 → 8167
        #expect(scorer.score(d, p) == 8167)
    }

    @Test func taughtAboveTheLevelAskedEarnsNoMore() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 2)])
        let p = try f.program(skills: [held("MET-004", 5)])
        // c = 60·2·min(5,2)/2 = 120 → 5500 + 4500
        #expect(scorer.score(d, p) == 10000)
    }

    @Test func sameGroupSkill() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 4)])
        let p = try f.program(skills: [held("MET-001", 5)])
        // c = 60·1·4/4 = 60; 5500·60/120 = 2750; + 4500 = 7250
        #expect(scorer.score(d, p) == 7250)
    }

    @Test func creditIsTheMaximumOverTaughtSkills() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 5)])
        let p = try f.program(skills: [held("MET-004", 1), held("MET-002", 5), held("SAF-001", 5)])
        // exact at 1: 60·2·1/5 = 24; same group at 5: 60·1·5/5 = 60; other group: 0 → c = 60
        // 2750 + 4500 = 7250
        #expect(scorer.score(d, p) == 7250)
    }

    @Test func weightedSeveralSkills() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3, 3), ask("SAF-002", 2, 1), ask("SW-001", 5, 2)])
        let p = try f.program(skills: [held("MET-004", 3), held("SAF-001", 1), held("SW-001", 4)])
        // MET-004: 120 · w3 = 360; SAF-002 via SAF-001: 60·1·1/2 = 30 · w1 = 30;
        // SW-001: 60·2·4/5 = 96 · w2 = 192.  N = 582, W = 6, 120·W = 720
        // (5500·582 + 720·4500) / 720 = (3 201 000 + 3 240 000) / 720 = 8945.83 → 8946
        #expect(scorer.score(d, p) == 8946)
    }

    @Test func demandWithoutSkillsUsesTheOccupationPart() throws {
        var f = ScoreFixture()
        let p = try f.program()
        // occ 2000: 5500·2000/2000 + 2000 + 1500 + 1000 = 10000
        #expect(scorer.score(try f.demand(), p) == 10000)
        // occ 1000 (same minor group 6-18-01): 2750 + 1000 + 1500 + 1000 = 6250
        #expect(scorer.score(try f.demand(occupation: "6-18-01-05"), p) == 6250)
        // occ 0: 0 + 0 + 1500 + 1000 = 2500 (eligible, scored, not a match)
        #expect(scorer.score(try f.demand(occupation: "3-01-01-01"), p) == 2500)
    }

    @Test func noSkillsBranchRoundsItsExactFractionHalfToEven() throws {
        var f = ScoreFixture()
        let d = try f.demand(occupation: "6-18-01-05")  // occ 1000, geo 1500, lvl 1000
        let p = try f.program()
        var config = ScoreConfig.standard
        config.skillMax = 5501
        // (5501·1000 + 2000·3500) / 2000 = 12 501 000 / 2000 = 6250.5 → 6250
        #expect(try MatchScorer(config: config).score(d, p) == 6250)
        config.skillMax = 5503
        // (5503·1000 + 2000·3500) / 2000 = 12 503 000 / 2000 = 6251.5 → 6252
        #expect(try MatchScorer(config: config).score(d, p) == 6252)
    }

    @Test func programTeachingNoSkills() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3, 2), ask("SAF-001", 2)])
        let p = try f.program(skills: [])
        // N = 0, W = 3: (0 + 360·4500) / 360 = 4500: no skill in common still scores 4500
        #expect(scorer.score(d, p) == 4500)
    }

    @Test func noRelatedOccupations() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3)])
        // c = 120 → 5500; occ 0; geo 1500; lvl 1000 → 8000
        #expect(scorer.score(d, try f.program(specialty: "000000", skills: [held("MET-004", 3)])) == 8000)
        // a specialty the catalog does not know has no related occupations either
        #expect(scorer.score(d, try f.program(specialty: "123456", skills: [held("MET-004", 3)])) == 8000)
    }

    @Test func sameMinorGroupIsTheFirstThreeSegments() throws {
        var f = ScoreFixture()
        let p = try f.program(skills: [held("MET-004", 3)])
        // related 6-18-01-02: 6-18-01-05 shares "6-18-01" → occ 1000: 5500 + 1000 + 1500 + 1000 = 9000
        #expect(scorer.score(try f.demand(occupation: "6-18-01-05", skills: [ask("MET-004", 3)]), p) == 9000)
        // 6-18-02-02 differs in the third segment → occ 0: 8000
        #expect(scorer.score(try f.demand(occupation: "6-18-02-02", skills: [ask("MET-004", 3)]), p) == 8000)
        // 2-02-10-03 is related itself → 10000
        #expect(scorer.score(try f.demand(occupation: "2-02-10-03", skills: [ask("MET-004", 3)]), p) == 10000)
    }

    @Test func geoByCountyPrefectureProvinceOther() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3)])  // 411282 灵宝市
        func score(_ region: String) throws -> Int? {
            scorer.score(d, try f.program(skills: [held("MET-004", 3)], region: region))
        }
        // 5500 + 2000 + geo + 1000
        #expect(try score("411282") == 10000)  // same county: 1500
        #expect(try score("411221") == 9550)  // 渑池县, same prefecture 4112: 1050
        #expect(try score("410102") == 9100)  // 郑州, same province 41: 600
        #expect(try score("110101") == 8650)  // 北京: 150
    }

    @Test func levelOneBelowScoresHalfAndTwoBelowIsIneligible() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3)], minLevel: .associate)  // rank 2
        func score(_ level: EducationLevel) throws -> Int? {
            scorer.score(d, try f.program(skills: [held("MET-004", 3)], level: level))
        }
        #expect(try score(.bachelor) == 10000)  // rank 3 ≥ 2: 1000
        #expect(try score(.associate) == 10000)  // rank 2: 1000
        #expect(try score(.secondary) == 9500)  // rank 1 = 2 − 1: 500
        #expect(try score(.shortTerm) == nil)  // rank 0 < 2 − 1
    }

    @Test func hardFilters() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3)], mode: .apprenticeship)
        let without = CooperationModeSet([.orderClass, .internship])
        #expect(scorer.score(d, try f.program(skills: [held("MET-004", 3)], modes: without)) == nil)
        let with = CooperationModeSet([.apprenticeship])
        #expect(scorer.score(d, try f.program(skills: [held("MET-004", 3)], modes: with)) == 10000)
        #expect(scorer.score(d, try f.program(skills: [held("MET-004", 3)], published: false)) == nil)
        let closed = try f.demand(skills: [ask("MET-004", 3)], open: false)
        #expect(scorer.score(closed, try f.program(skills: [held("MET-004", 3)])) == nil)
    }

    @Test func tiesRoundHalfToEven() throws {
        var f = ScoreFixture()
        // Same group taught 3, asked 4: c = 60·1·3/4 = 45; 5500·45/120 = 2062.5;
        // + 4500 = 6562.5 → 6562 (even, down)
        let d = try f.demand(skills: [ask("MET-004", 4)])
        #expect(scorer.score(d, try f.program(skills: [held("MET-001", 3)])) == 6562)
        // Same group taught 1, asked 4: c = 60·1·1/4 = 15; 5500·15/120 = 687.5;
        // + 4500 = 5187.5 → 5188 (even, up)
        #expect(scorer.score(d, try f.program(skills: [held("MET-001", 1)])) == 5188)
    }

    @Test func unknownSkillsMatchOnlyThemselves() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("XYZ-009", 2)])
        // same unknown code: c = 120 → 10000
        #expect(scorer.score(d, try f.program(skills: [held("XYZ-009", 2)])) == 10000)
        // two unknown codes have no group, so they are not "same group": c = 0 → 4500
        #expect(scorer.score(d, try f.program(skills: [held("XYZ-008", 5)])) == 4500)
    }

    @Test func talentBestGeoOverSeveralCounties() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3)], mode: .apprenticeship)
        func score(_ regions: [String]) throws -> Int? {
            scorer.score(d, try f.talent(skills: [held("MET-004", 3)], regions: regions))
        }
        // 5500 + occ 2000 (specialty 510201) + geo + lvl 1000; no mode filter for talents
        #expect(try score(["110101", "411221", "411282"]) == 10000)  // best: same county 1500
        #expect(try score(["110101", "410102"]) == 9100)  // best: same province 600
        #expect(try score([]) == 8650)  // no region codes: 150
    }

    @Test func talentOccupationsAndLevel() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3)])
        // no specialty, desired 6-18-01-09 shares the minor group 6-18-01: occ 1000 → 9000
        #expect(scorer.score(d, try f.talent(specialty: nil, skills: [held("MET-004", 3)], desired: ["6-18-01-09"])) == 9000)
        // desired the demand's own occupation: occ 2000 → 10000
        #expect(scorer.score(d, try f.talent(specialty: nil, skills: [held("MET-004", 3)], desired: ["6-18-01-02"])) == 10000)
        // neither: occ 0 → 8000
        #expect(scorer.score(d, try f.talent(specialty: "000000", skills: [held("MET-004", 3)])) == 8000)
        // education one below the minimum: lvl 500 → 9500; two below: ineligible
        #expect(scorer.score(d, try f.talent(skills: [held("MET-004", 3)], level: .secondary)) == 9500)
        #expect(scorer.score(d, try f.talent(skills: [held("MET-004", 3)], level: .shortTerm)) == nil)
        // a closed demand matches no talent
        #expect(scorer.score(try f.demand(open: false), try f.talent()) == nil)
    }

    @Test func invalidRecordsAreRejected() throws {
        var f = ScoreFixture()
        #expect(throws: MatchInputError.skillLevelOutOfRange(code: "MET-004", level: 6)) {
            try f.demand(skills: [ask("MET-004", 6)])
        }
        #expect(throws: MatchInputError.skillWeightOutOfRange(code: "MET-004", weight: 0)) {
            try f.demand(skills: [ask("MET-004", 3, 0)])
        }
        #expect(throws: MatchInputError.duplicateSkill(code: "MET-004")) {
            try f.program(skills: [held("MET-004", 3), held("MET-004", 2)])
        }
        #expect(throws: MatchInputError.invalidRegionCode("41128")) { try f.demand(region: "41128") }
        #expect(throws: MatchInputError.invalidRegionCode("41128x")) { try f.talent(regions: ["41128x"]) }
    }
}
