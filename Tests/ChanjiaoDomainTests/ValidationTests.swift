import ChanjiaoDomain
import Foundation
import Testing

@Suite struct ValidationTests {
    func json(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    @Test func mergePatchSetsReplacesAndClears() throws {
        let current = try json(#"{"a":1,"b":{"c":2,"d":3},"e":[1,2]}"#)
        let merged = current.merging(patch: try json(#"{"a":null,"b":{"c":9},"e":[3],"f":"x"}"#))
        #expect(merged == (try json(#"{"b":{"c":9,"d":3},"e":[3],"f":"x"}"#)))
    }

    @Test func everyBrokenFieldIsReportedAtItsPath() throws {
        let body = try json(#"{"title":"","headcount":"3","skills":[{"code":"MET-001","level":9},{"code":"MET-001","level":2}],"mode":"x","extra":1}"#)
        #expect(throws: Problem.self) { try DemandInput.read(body) }
        do {
            _ = try DemandInput.read(body)
        } catch {
            let fields = Set(error.errors.map(\.field))
            #expect(fields == ["title", "headcount", "skills[0].level", "skills[1].code", "mode", "extra", "occupation_code", "min_level", "region_code"])
            #expect(error.kind == .invalid)
        }
    }

    @Test func aPatchCannotTouchReadOnlyOrOwnerFields() throws {
        let current = try json(#"{"id":"x","version":3,"enterprise_id":"3f1c9a2e-0000-4000-8000-000000000000","title":"t","occupation_code":"6-17-04-01","headcount":2,"min_level":"secondary","mode":"employment","region_code":"411202","status":"open","archived":false,"skills":[]}"#)
        do {
            _ = try DemandInput.patched(current, with: try json(#"{"version":4,"enterprise_id":"3f1c9a2e-0000-4000-8000-000000000001"}"#))
            Issue.record("expected a problem")
        } catch let problem as Problem {
            #expect(Set(problem.errors.map(\.field)) == ["version", "enterprise_id"])
        }
        let patched = try DemandInput.patched(current, with: try json(#"{"headcount":7,"enterprise_id":"3f1c9a2e-0000-4000-8000-000000000000"}"#))
        #expect(patched.headcount == 7)
        #expect(patched.title == "t")
    }

    @Test func datesAndTextAreCheckedStrictly() throws {
        let log = ValidationLog()
        let reader = FieldReader(try json(#"{"a":"2026-02-29","b":"2028-02-29","c":"2026-13-01","d":"  中文  ","e":"a\u0007b"}"#), log: log)
        #expect(reader.date("a") == nil)
        #expect(reader.date("b") == "2028-02-29")
        #expect(reader.date("c") == nil)
        #expect(reader.string("d") == "中文")
        #expect(reader.string("e") == nil)
        #expect(log.errors.map(\.field) == ["a", "c", "e"])
    }

    @Test func cursorsRoundTripAndRejectGarbage() {
        let id = UUID()
        #expect(Cursor.decode(Cursor.encode(id)) == id.uuidString.lowercased())
        #expect(Cursor.decode("!!") == nil)
    }

    @Test func matchRunScopesAreValidated() throws {
        let scope = try MatchRunScope.read(try json(#"{"region_code":"4112","mode":"order_class","occupation_prefix":"6-17"}"#))
        #expect(scope == MatchRunScope(regionCode: "4112", mode: .orderClass, occupationPrefix: "6-17"))
        #expect(try MatchRunScope.read(try json("{}")).regionCode == "")
        #expect(throws: Problem.self) { try MatchRunScope.read(try json(#"{"occupation_prefix":"6-177"}"#)) }
    }
}
