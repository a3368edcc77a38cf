import ChanjiaoDomain
import Testing

@Suite struct SkillListTests {
    @Test func levelsParse() throws {
        #expect(try SkillList.parseLevels("MET-004:4;SAF-002:3") == [
            SkillLevel(code: "MET-004", level: 4), SkillLevel(code: "SAF-002", level: 3),
        ])
        #expect(try SkillList.parseLevels(" MET-004 : 4 ; SAF-002:3 ") == [
            SkillLevel(code: "MET-004", level: 4), SkillLevel(code: "SAF-002", level: 3),
        ])
    }

    @Test func weightedSkillsParse() throws {
        #expect(try SkillList.parseWeighted("MET-004:4:2;SAF-002:3:1") == [
            WeightedSkill(code: "MET-004", level: 4, weight: 2), WeightedSkill(code: "SAF-002", level: 3, weight: 1),
        ])
    }

    @Test func emptyCellIsAnEmptyList() throws {
        #expect(try SkillList.parseLevels("") == [])
        #expect(try SkillList.parseWeighted("  ") == [])
    }

    @Test func levelsAndWeightsStayInRange() {
        #expect(throws: SkillListError(index: 1, field: "level", message: "level must be 1..5 (got '6')")) {
            try SkillList.parseLevels("MET-004:4;SAF-002:6")
        }
        #expect(throws: SkillListError(index: 0, field: "level", message: "level must be 1..5 (got '0')")) {
            try SkillList.parseWeighted("MET-004:0:1")
        }
        #expect(throws: SkillListError(index: 0, field: "weight", message: "weight must be 1..3 (got '4')")) {
            try SkillList.parseWeighted("MET-004:3:4")
        }
        #expect(throws: SkillListError(index: 0, field: "level", message: "level must be 1..5 (got 'x')")) {
            try SkillList.parseLevels("MET-004:x")
        }
    }

    @Test func errorsNameTheItem() throws {
        let error = try #require(throws: SkillListError.self) { try SkillList.parseLevels("MET-004:4;SAF-002:3;MET-004:2") }
        #expect(error.message == "item 3: MET-004 already appears in item 1")
        #expect(error.path(under: "skills") == "skills[2].code")
    }

    @Test func wrongShapesAndGroupCodesAreRejected() {
        #expect(throws: SkillListError(index: 0, field: nil, message: "'MET-004:4:2' is not code:level")) {
            try SkillList.parseLevels("MET-004:4:2")
        }
        #expect(throws: SkillListError(index: 1, field: nil, message: "'SAF-002:3' is not code:level:weight")) {
            try SkillList.parseWeighted("MET-004:4:2;SAF-002:3")
        }
        #expect(throws: SkillListError(index: 1, field: nil, message: "'' is not code:level")) {
            try SkillList.parseLevels("MET-004:4;")
        }
        let group = SkillListError(
            index: 0, field: "code", message: "'MET' is not a skill code (2–6 capital letters, '-', 3 digits, e.g. MET-004)")
        #expect(throws: group) { try SkillList.parseLevels("MET:3") }
    }

    @Test func formattingRoundTrips() throws {
        let weighted = [WeightedSkill(code: "MET-004", level: 4, weight: 2), WeightedSkill(code: "SAF-002", level: 3, weight: 1)]
        #expect(SkillList.format(weighted) == "MET-004:4:2;SAF-002:3:1")
        #expect(try SkillList.parseWeighted(SkillList.format(weighted)) == weighted)
        #expect(SkillList.format([SkillLevel(code: "MET-004", level: 4)]) == "MET-004:4")
    }
}
