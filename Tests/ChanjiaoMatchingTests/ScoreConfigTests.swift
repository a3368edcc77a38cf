import ChanjiaoMatching
import Foundation
import Testing

@Suite struct ScoreConfigTests {
    @Test func standardIsTheDocumentedContract() throws {
        let c = ScoreConfig.standard
        #expect([c.skillMax, c.occRelated, c.occMinorGroup, c.occOther] == [5500, 2000, 1000, 0] as [Int])
        #expect([c.geoCounty, c.geoPrefecture, c.geoProvince, c.geoOther] == [1500, 1050, 600, 150] as [Int])
        #expect([c.levelMeets, c.levelOneBelow, c.minScore] == [1000, 500, 4000] as [Int])
        try c.validate()
    }

    /// The shipped `Config/matching.json` decodes to exactly the defaults.
    @Test func shippedFileHoldsTheDefaults() throws {
        let testFile = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let root = testFile.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Config/matching.json"))
        #expect(try JSONDecoder().decode(ScoreConfig.self, from: data) == .standard)
    }

    @Test func codesWithSnakeCaseKeys() throws {
        let data = try JSONEncoder().encode(ScoreConfig.standard)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Int])
        #expect(Set(object.keys) == [
            "skill_max", "occ_related", "occ_minor_group", "occ_other", "geo_county", "geo_prefecture",
            "geo_province", "geo_other", "level_meets", "level_one_below", "min_score",
        ])
        #expect(object["geo_prefecture"] == 1050)
        #expect(try JSONDecoder().decode(ScoreConfig.self, from: data) == .standard)
    }

    @Test func validateRejectsBrokenValues() {
        var c = ScoreConfig.standard
        c.geoOther = -1
        #expect(throws: ScoreConfigError.outOfRange(key: "geo_other", value: -1)) { try c.validate() }

        c = .standard
        c.skillMax = ScoreConfig.maxPoints + 1
        #expect(throws: ScoreConfigError.outOfRange(key: "skill_max", value: ScoreConfig.maxPoints + 1)) {
            try c.validate()
        }

        c = .standard
        c.occRelated = 0
        c.occMinorGroup = 0
        #expect(throws: ScoreConfigError.maximumNotPositive(key: "occ_related")) { try c.validate() }

        c = .standard
        c.geoProvince = 1100
        #expect(throws: ScoreConfigError.notDescending(higher: "geo_prefecture", lower: "geo_province")) {
            try c.validate()
        }

        c = .standard
        c.levelOneBelow = 1001
        #expect(throws: ScoreConfigError.notDescending(higher: "level_meets", lower: "level_one_below")) {
            try MatchScorer(config: c)
        }
    }
}
