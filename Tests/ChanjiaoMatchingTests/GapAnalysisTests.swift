import ChanjiaoMatching
import Testing

@Suite struct GapAnalysisTests {
    @Test func unmetAndUnusedAreSummedByOccupationSkillCountyAndSpecialty() {
        let demands = [
            GapAnalysis.DemandSide(occupationCode: "6-17-04-01", skillCodes: ["MET-001", "SAF-002"], regionCode: "411202", headcount: 10),
            GapAnalysis.DemandSide(occupationCode: "6-17-04-01", skillCodes: ["MET-001"], regionCode: "411282", headcount: 5),
            GapAnalysis.DemandSide(occupationCode: "2-02-10-03", skillCodes: [], regionCode: "411282", headcount: 3),
        ]
        let programs = [
            GapAnalysis.ProgramSide(specialtyCode: "430501", regionCode: "411202", seats: 8),
            GapAnalysis.ProgramSide(specialtyCode: "510203", regionCode: "411221", seats: 4),
        ]
        let gaps = GapAnalysis(demands: demands, programs: programs, assignedToDemand: [6, 2, 3], usedOfProgram: [8, 3])
        #expect(gaps.byOccupation.map { [$0.occupationCode: $0.unmet] } == [["6-17-04-01": 7], ["2-02-10-03": 0]])
        // A demand's unmet headcount counts in full for each of its skills.
        #expect(gaps.bySkill.map { [$0.skillCode: $0.unmet] } == [["MET-001": 7], ["SAF-002": 4]])
        #expect(gaps.byCounty.map { "\($0.regionCode):\($0.unmet):\($0.unused)" } == ["411202:4:0", "411282:3:0", "411221:0:1"])
        #expect(gaps.bySpecialty.map { [$0.specialtyCode: $0.unused] } == [["510203": 1], ["430501": 0]])
    }
}
