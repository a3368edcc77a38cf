import ChanjiaoDomain
import Foundation
import Testing

/// The strict JSON reader every request body goes through, the merge patch, and text rules.
@Suite struct JSONInputTests {
    func json(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    func problem(_ text: String) -> Problem? {
        do {
            _ = try json(text)
            return nil
        } catch {
            return error as? Problem
        }
    }

    struct MergeCase: Sendable, CustomStringConvertible {
        let original: String
        let patch: String
        let result: String
        var description: String { "\(original) + \(patch)" }
    }

    /// RFC 7396 Appendix A, every example.
    static let rfc7396: [MergeCase] = [
        .init(original: #"{"a":"b"}"#, patch: #"{"a":"c"}"#, result: #"{"a":"c"}"#),
        .init(original: #"{"a":"b"}"#, patch: #"{"b":"c"}"#, result: #"{"a":"b","b":"c"}"#),
        .init(original: #"{"a":"b"}"#, patch: #"{"a":null}"#, result: #"{}"#),
        .init(original: #"{"a":"b","b":"c"}"#, patch: #"{"a":null}"#, result: #"{"b":"c"}"#),
        .init(original: #"{"a":["b"]}"#, patch: #"{"a":"c"}"#, result: #"{"a":"c"}"#),
        .init(original: #"{"a":"c"}"#, patch: #"{"a":["b"]}"#, result: #"{"a":["b"]}"#),
        .init(original: #"{"a":{"b":"c"}}"#, patch: #"{"a":{"b":"d","c":null}}"#, result: #"{"a":{"b":"d"}}"#),
        .init(original: #"{"a":[{"b":"c"}]}"#, patch: #"{"a":[1]}"#, result: #"{"a":[1]}"#),
        .init(original: #"["a","b"]"#, patch: #"["c","d"]"#, result: #"["c","d"]"#),
        .init(original: #"{"a":"b"}"#, patch: #"["c"]"#, result: #"["c"]"#),
        .init(original: #"{"a":"foo"}"#, patch: "null", result: "null"),
        .init(original: #"{"a":"foo"}"#, patch: #""bar""#, result: #""bar""#),
        .init(original: #"{"e":null}"#, patch: #"{"a":1}"#, result: #"{"e":null,"a":1}"#),
        .init(original: #"[1,2]"#, patch: #"{"a":"b","c":null}"#, result: #"{"a":"b"}"#),
        .init(original: #"{}"#, patch: #"{"a":{"bb":{"ccc":null}}}"#, result: #"{"a":{"bb":{}}}"#),
    ]

    @Test(arguments: rfc7396)
    func mergePatchFollowsRFC7396(_ example: MergeCase) throws {
        #expect(try json(example.original).merging(patch: try json(example.patch)) == (try json(example.result)))
    }

    @Test func anObjectPatchedOntoAnAbsentOrNullMemberStartsFromAnEmptyObject() throws {
        // The crash of issue 7: this used to recurse until the stack overflowed.
        #expect(try json(#"{"name":"x"}"#).merging(patch: try json(#"{"contact":{"name":"y"}}"#)) == (try json(#"{"name":"x","contact":{"name":"y"}}"#)))
        #expect(try json(#"{"contact":null}"#).merging(patch: try json(#"{"contact":{"name":"y","phone":null}}"#)) == (try json(#"{"contact":{"name":"y"}}"#)))
        #expect(try json(#"{"title":"t"}"#).merging(patch: try json(#"{"title":{"a":{"a":1}}}"#)) == (try json(#"{"title":{"a":{"a":1}}}"#)))
    }

    static func nested(_ depth: Int) -> String {
        String(repeating: #"{"a":"#, count: depth - 1) + "[]" + String(repeating: "}", count: depth - 1)
    }

    @Test func nestingUpTo32LevelsIsReadAnd33IsRefused() throws {
        _ = try json(Self.nested(32))
        _ = try json(String(repeating: "[", count: 32) + String(repeating: "]", count: 32))
        let refused = problem(Self.nested(33))
        #expect(refused?.kind == .badRequest)
        #expect(refused?.detail.contains("32 levels") == true)
        #expect(problem(String(repeating: "[", count: 33) + String(repeating: "]", count: 33))?.kind == .badRequest)
    }

    @Test func deepBodiesAreRefusedQuickly() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let start = ContinuousClock.now
        #expect(problem(deep)?.kind == .badRequest)
        // Refused at the 33rd level: microseconds; the bound only allows for a loaded machine.
        #expect(ContinuousClock.now - start < .milliseconds(500))
    }

    @Test func wideBodiesUnderALongNameAreReadInLinearTime() throws {
        // Paths used to be built for every member and item, each copying its parent's:
        // 170,000 items under a 700,000-byte name meant ~100 GB of copying.
        let items = Array(repeating: "{}", count: 170_000).joined(separator: ",")
        let body = #"{""# + String(repeating: "a", count: 700_000) + #"":["# + items + "]}"
        let start = ContinuousClock.now
        let value = try json(body)
        #expect(value.forbiddenCharacterErrors().isEmpty)
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func duplicateMembersAreRefusedWithTheirPath() throws {
        let refused = problem(#"{"title":"A","title":"B"}"#)
        #expect(refused?.kind == .badRequest)
        #expect(refused?.detail.contains("title") == true)
        #expect(problem(#"{"contact":{"name":"a","name":"b"}}"#)?.detail.contains("contact.name") == true)
        // Same name at different levels is fine.
        _ = try json(#"{"name":"a","contact":{"name":"b"}}"#)
    }

    @Test func stringsAndNumbersAreReadExactly() throws {
        #expect(try json(#""a\"\\\/\b\f\n\r\t\u00e9\u4e2d\ud83d\ude00""#) == .string("a\"\\/\u{8}\u{c}\n\r\té中😀"))
        #expect(try json("[0,-1,12,1.5,-2e3,1.0,9223372036854775807,9223372036854775808,1e20]")
            == .array([.int(0), .int(-1), .int(12), .double(1.5), .int(-2000), .int(1), .int(Int.max), .double(9223372036854775808), .double(1e20)]))
        #expect(try json(" {\n\t\"a\" : true , \"b\":false,\"c\":null } ") == .object(["a": .bool(true), "b": .bool(false), "c": .null]))
        #expect(try json(#""\u0000""#) == .string("\u{0}"))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\"}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "NaN",
        "tru", "nulll", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
        "\"a\tb\"", "\"a\u{0}b\"", "1e999", "{} {}", "[1] x", "'a'",
    ])
    func malformedJSONIsABadRequest(_ text: String) {
        #expect(problem(text)?.kind == .badRequest, "\(text.debugDescription)")
    }

    @Test func invalidUTF8IsABadRequest() {
        let bytes: [UInt8] = [0x22, 0xFF, 0xFE, 0x22]
        #expect(throws: Problem.self) { try JSONParser.parse(bytes) }
        let overlong: [UInt8] = [0x22, 0xC0, 0xAF, 0x22]
        #expect(throws: Problem.self) { try JSONParser.parse(overlong) }
    }

    @Test func forbiddenControlCharactersAreFoundAtTheirPaths() throws {
        let body = try json(#"{"title":"a\u0000b","skills":[{"code":"x\u0007"}],"note":"tab\tand\r\nlines","k\u0001":1}"#)
        let errors = body.forbiddenCharacterErrors()
        #expect(Set(errors.map(\.field)) == ["title", "skills[0].code", "k\u{1}"])
        #expect(try json(#"["\u001f"]"#).forbiddenCharacterErrors().map(\.field) == ["$[0]"])
        #expect(try json(#"{"a":"plain 中文"}"#).forbiddenCharacterErrors().isEmpty)
    }

    @Test func aSingleValueRefusesEveryControlCharacterButALineFeed() {
        for control in ["\u{0}", "\t", "\r", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}"] {
            #expect(TextRules.hasControlBesidesLineFeed("a" + control + "b"), "U+\(String(control.unicodeScalars.first!.value, radix: 16))")
        }
        for plain in ["a\nb", "中文 text", "\u{A0}", "\u{20}", "\u{7E}", "\u{A1}", "\u{2028}", "👨‍👩‍👧"] {
            #expect(!TextRules.hasControlBesidesLineFeed(plain), "\(plain.unicodeScalars.map(\.value))")
        }
    }

    @Test func lengthsCountUnicodeScalarsAsPostgreSQLDoes() {
        #expect(TextRules.length("e\u{301}") == 2)
        #expect(TextRules.length("铝箔") == 2)
        #expect(TextRules.length("👨‍👩‍👧") == 5)
        let log = ValidationLog()
        let reader = FieldReader(.object(["title": .string(String(repeating: "e\u{301}", count: 200))]), log: log)
        #expect(reader.string("title") == nil)
        #expect(log.errors.map(\.field) == ["title"])
        let fits = FieldReader(.object(["title": .string(String(repeating: "e\u{301}", count: 100))]), log: ValidationLog())
        #expect(fits.string("title") != nil)
    }
}

/// The direct JSON writer round-trips through the strict parser, escapes included.
@Suite struct JSONTextTests {
    @Test func writtenTextParsesBackToTheSameValue() throws {
        let value = JSONValue.object([
            "name": .string("王\"五\"\\ \n\t\r\u{1}/end"), "n": .int(-42), "x": .double(0.5), "ok": .bool(true), "none": .null,
            "list": .array([.string("a"), .int(1), .object(["k": .string("v")])]), "empty": .object([:]), "emoji": .string("👩‍🔧"),
        ])
        #expect(try JSONValue.parse(Data(value.text.utf8)) == value)
        #expect(JSONValue.string("a\u{1f}").text == "\"a\\u001f\"")
    }
}
