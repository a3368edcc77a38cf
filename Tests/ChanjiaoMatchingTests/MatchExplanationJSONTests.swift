import ChanjiaoDomain
import ChanjiaoMatching
import Foundation
import Testing

@Suite struct MatchExplanationJSONTests {
    @Test func handWrittenJSONEqualsTheEncodersOutput() throws {
        let explanation = MatchExplanation(
            score: 7413, parts: MatchParts(skillFit: 0.875, occFit: 0.5, geoFit: 0.7, levelFit: 1.0),
            matchedSkills: [MatchedSkill(demandSkill: "MET-004", taughtSkill: "MET-\"4\\", sim: 0.5, levelFactor: 2.0 / 3.0, credit: 40)],
            missingSkills: ["SAF-002", "SAF-\n"])
        let handWritten = try JSONValue.parse(Data("{\(explanation.jsonMembers)}".utf8))
        let encoded = try JSONValue.parse(JSONEncoder().encode(explanation))
        #expect(handWritten == encoded)
    }
}
