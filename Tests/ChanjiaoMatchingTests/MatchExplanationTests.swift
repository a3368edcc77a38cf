import ChanjiaoDomain
import ChanjiaoMatching
import Foundation
import Testing

@Suite struct MatchExplanationTests {
    let scorer = MatchScorer.standard

    @Test func partsMatchedAndMissing() throws {
        var f = ScoreFixture()
        let d = try f.demand(
            skills: [ask("MET-004", 3, 3), ask("SAF-002", 2, 1), ask("SW-001", 5, 2), ask("COL-001", 2, 1)])
        let p = try f.program(skills: [held("MET-004", 3), held("SAF-001", 1), held("SW-001", 4)], region: "411221")
        let e = try #require(scorer.explain(d, p, catalog: f.catalog))
        // N = 3·120 + 1·30 + 2·96 + 1·0 = 582, W = 7, 120·W = 840; rest = 2000 + 1050 + 1000 = 4050
        // (5500·582 + 840·4050) / 840 = (3 201 000 + 3 402 000) / 840 = 7860.71 → 7861
        #expect(e.score == 7861)
        #expect(e.score == scorer.score(d, p))
        #expect(e.parts == MatchParts(skillFit: 582.0 / 840.0, occFit: 1.0, geoFit: 0.7, levelFit: 1.0))
        #expect(e.matchedSkills == [
            MatchedSkill(demandSkill: "MET-004", taughtSkill: "MET-004", sim: 1.0, levelFactor: 1.0, credit: 120),
            MatchedSkill(demandSkill: "SAF-002", taughtSkill: "SAF-001", sim: 0.5, levelFactor: 0.5, credit: 30),
            MatchedSkill(demandSkill: "SW-001", taughtSkill: "SW-001", sim: 1.0, levelFactor: 0.8, credit: 96),
        ])
        #expect(e.missingSkills == ["COL-001"])
    }

    @Test func equalCreditsPickTheLowestCode() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3)])
        // MET-003 and MET-002 both give 60·1·3/3 = 60, in either listing order → MET-002
        for taught in [[held("MET-003", 3), held("MET-002", 3)], [held("MET-002", 3), held("MET-003", 3)]] {
            let e = try #require(scorer.explain(d, try f.program(skills: taught), catalog: f.catalog))
            #expect(e.matchedSkills.map(\.taughtSkill) == ["MET-002"])
        }
    }

    @Test func equalCreditsPickTheLowestCodeEvenOverTheExactSkill() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 4)])
        // exact MET-004 at 2: 60·2·2/4 = 60; same-group MET-001 at 4: 60·1·4/4 = 60.
        // Equal credit → lowest code MET-001, reported with its own sim and level factor.
        let e1 = try #require(scorer.explain(d, try f.program(skills: [held("MET-004", 2), held("MET-001", 4)]), catalog: f.catalog))
        #expect(e1.matchedSkills == [
            MatchedSkill(demandSkill: "MET-004", taughtSkill: "MET-001", sim: 0.5, levelFactor: 1.0, credit: 60)
        ])
        // against MET-009 at 4 (also 60), MET-004 is the lower code and wins
        let e2 = try #require(scorer.explain(d, try f.program(skills: [held("MET-009", 4), held("MET-004", 2)]), catalog: f.catalog))
        #expect(e2.matchedSkills == [
            MatchedSkill(demandSkill: "MET-004", taughtSkill: "MET-004", sim: 1.0, levelFactor: 0.5, credit: 60)
        ])
    }

    @Test func programWithoutSkillsMissesEverything() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("SAF-002", 2), ask("MET-004", 1), ask("XYZ-001", 3)])
        let e = try #require(scorer.explain(d, try f.program(), catalog: f.catalog))
        #expect(e.score == 4500)
        #expect(e.matchedSkills.isEmpty)
        #expect(e.missingSkills == ["SAF-002", "MET-004", "XYZ-001"])  // the demand's order
        #expect(e.parts.skillFit == 0)
    }

    @Test func demandWithoutSkillsReportsTheOccupationFitAsSkillFit() throws {
        var f = ScoreFixture()
        let e = try #require(scorer.explain(try f.demand(occupation: "6-18-01-05"), try f.program(), catalog: f.catalog))
        #expect(e.score == 6250)
        #expect(e.parts == MatchParts(skillFit: 0.5, occFit: 0.5, geoFit: 1.0, levelFit: 1.0))
        #expect(e.matchedSkills.isEmpty && e.missingSkills.isEmpty)
    }

    @Test func talentExplanation() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3), ask("SAF-001", 2)], minLevel: .bachelor)
        let t = try f.talent(skills: [held("MET-002", 2)], level: .associate, regions: ["110101", "411203"])
        let e = try #require(scorer.explain(d, t, catalog: f.catalog))
        // MET-004 via MET-002: 60·1·2/3 = 40; SAF-001: 0. N = 40, W = 2, 120·W = 240
        // rest = 2000 + 1050 (best: 411203 shares 4112) + 500 (one below bachelor) = 3550
        // (5500·40 + 240·3550) / 240 = (220 000 + 852 000) / 240 = 4466.67 → 4467
        #expect(e.score == 4467)
        #expect(e.parts == MatchParts(skillFit: 40.0 / 240.0, occFit: 1.0, geoFit: 0.7, levelFit: 0.5))
        #expect(e.matchedSkills == [
            MatchedSkill(demandSkill: "MET-004", taughtSkill: "MET-002", sim: 0.5, levelFactor: 2.0 / 3.0, credit: 40)
        ])
        #expect(e.missingSkills == ["SAF-001"])
    }

    @Test func ineligiblePairsHaveNoExplanation() throws {
        var f = ScoreFixture()
        let d = try f.demand(minLevel: .bachelor)
        #expect(scorer.explain(d, try f.program(level: .secondary), catalog: f.catalog) == nil)
        #expect(scorer.explain(d, try f.talent(level: .shortTerm), catalog: f.catalog) == nil)
    }

    @Test func encodesWithTheDocumentedKeys() throws {
        var f = ScoreFixture()
        let d = try f.demand(skills: [ask("MET-004", 3), ask("SAF-002", 1)])
        let e = try #require(scorer.explain(d, try f.program(skills: [held("MET-004", 3)]), catalog: f.catalog))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(e), as: UTF8.self)
        // N = 120, W = 2: (5500·120 + 240·4500) / 240 = 7250
        #expect(json == """
            {"matched_skills":[{"credit":120,"demand_skill":"MET-004","level_factor":1,"sim":1,"taught_skill":"MET-004"}],\
            "missing_skills":["SAF-002"],\
            "parts":{"geo_fit":1,"level_fit":1,"occ_fit":1,"skill_fit":0.5},"score":7250}
            """)
    }
}
