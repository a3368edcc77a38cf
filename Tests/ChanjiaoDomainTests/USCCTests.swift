import ChanjiaoDomain
import Testing

@Suite struct USCCTests {
    static let valid = ["91320500MA1QK7R29J", "91110000600037341L", "91350200MA2YJ1XR9G"]
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    @Test(arguments: valid)
    func publishedExamplesAreValid(_ code: String) throws {
        #expect(try USCC.normalize(code) == code)
    }

    @Test(arguments: valid)
    func changingAnySingleCharacterFails(_ code: String) {
        let characters = Array(code)
        for position in characters.indices {
            for replacement in Self.alphabet where replacement != characters[position] {
                var changed = characters
                changed[position] = replacement
                #expect(!USCC.isValid(String(changed)), "\(String(changed)) should fail")
            }
        }
    }

    @Test func inputIsTrimmedAndUpperCased() throws {
        #expect(try USCC.normalize("  91320500ma1qk7r29j\n") == "91320500MA1QK7R29J")
        #expect(try USCC.normalize("\t91110000600037341l ") == "91110000600037341L")
    }

    @Test func fullWidthCharactersAreRejectedWithTheirOwnMessage() {
        #expect(throws: USCCError.fullWidthCharacters) { try USCC.normalize("９1320500MA1QK7R29J") }
        #expect(throws: USCCError.fullWidthCharacters) { try USCC.normalize("91320500ＭA1QK7R29J") }
        #expect(USCCError.fullWidthCharacters.message == "full-width characters are not allowed")
    }

    @Test func wrongLengthIsReported() {
        #expect(throws: USCCError.wrongLength(17)) { try USCC.normalize("91320500MA1QK7R29") }
        #expect(throws: USCCError.wrongLength(0)) { try USCC.normalize("   ") }
        #expect(USCCError.wrongLength(17).message == "must be 18 characters (got 17)")
    }

    @Test func lettersOutsideTheAlphabetNameTheirPosition() {
        #expect(throws: USCCError.disallowedCharacter("I", position: 5)) { try USCC.normalize("9132I500MA1QK7R29J") }
        #expect(throws: USCCError.disallowedCharacter("O", position: 9)) { try USCC.normalize("91320500oA1QK7R29J") }
        #expect(USCCError.disallowedCharacter("I", position: 5).message == "'I' at position 5 is not allowed")
    }

    @Test func wrongCheckCharacterNamesTheExpectedOne() {
        #expect(throws: USCCError.checkCharacter(expected: "J")) { try USCC.normalize("91320500MA1QK7R29K") }
        #expect(USCCError.checkCharacter(expected: "J").message == "position 18 should be 'J' (check character)")
    }

    @Test func organizationCodeCheckIsEnforcedEvenWhenTheFinalCheckPasses() throws {
        // Position 17 changed from 9 to 8, then the final check recomputed: only GB 11714 fails.
        let first17 = "91320500MA1QK7R28"
        let finalCheck = try #require(Self.finalCheck(first17))
        #expect(throws: USCCError.organizationCheckCharacter(expected: "9")) {
            try USCC.normalize(first17 + String(finalCheck))
        }
    }

    @Test(arguments: valid)
    func completingTheFirstSixteenCharactersRebuildsTheCode(_ code: String) {
        #expect(USCC.withCheckCharacters(String(code.prefix(16))) == code)
    }

    @Test func generatedCodesValidateIncludingAnXOrganizationCheck() throws {
        var sawX = false
        for serial in 0..<2_000 {
            let body = String(String(serial * 7919, radix: 10).suffix(8)).leftPadded(to: 8)
            let code = try #require(USCC.withCheckCharacters("91411202" + body))
            sawX = sawX || code.dropLast().last == "X"
            #expect(try USCC.normalize(code) == code)
        }
        #expect(sawX)
    }

    @Test func malformedPrefixesCannotBeCompleted() {
        #expect(USCC.withCheckCharacters("91411202MA1QK7R") == nil)
        #expect(USCC.withCheckCharacters("91411202MA1QK7RI") == nil)
        #expect(USCC.withCheckCharacters("91411202ma1qk7r2") == nil)
    }

    /// An independent implementation of the GB 32100 final check, for the test above.
    static func finalCheck(_ first17: String) -> Character? {
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        var sum = 0
        for (character, weight) in zip(first17, weights) {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            sum += value * weight
        }
        return alphabet[(31 - sum % 31) % 31]
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}

@Suite struct USCCShapeTests {
    @Test func shapeOnlyNormalizationIgnoresCheckCharactersForTheBureauOverride() {
        #expect(USCC.normalizeShape(" 91320500ma1qk7r29k ") == "91320500MA1QK7R29K")
        #expect(USCC.normalizeShape("91320500MA1QK7R29") == nil)
        #expect(USCC.normalizeShape("9132050OMA1QK7R29J") == nil)
        #expect(USCC.normalizeShape("９1320500MA1QK7R29J") == nil)
    }
}
