/// Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters carrying the
/// registration authority, the kind, the GB/T 2260 area code, the GB 11714 organization code
/// (positions 9–17, with its own check digit) and a final check character over positions 1–17.
public enum USCC {
    /// The code alphabet in value order: the digits, then the capitals without I, O, Z, S, V
    /// (left out because they read like 1, 0, 2, 5, U).
    static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    private static let values: [Character: Int] = Dictionary(
        uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })

    /// GB 32100 weights for positions 1–17 (3^(i−1) mod 31).
    private static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// GB 11714 weights for the eight body characters of the organization code.
    private static let organizationWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// Returns the canonical form of `raw` (trimmed, upper-cased) when it is a valid code.
    public static func normalize(_ raw: String) throws(USCCError) -> String {
        let (code, digits) = try shape(raw)
        let expected = checkCharacter(Array(digits[0..<17]))
        guard code[17] == expected else { throw .checkCharacter(expected: expected) }
        // The final check covers position 17, so a code can pass it while its embedded
        // organization code is inconsistent; GB 32100 requires both.
        let organizationCheck = organizationCheckCharacter(Array(code[8..<16]))
        guard code[16] == organizationCheck else {
            throw .organizationCheckCharacter(expected: organizationCheck)
        }
        return String(code)
    }

    /// The canonical form of `raw` when it has the shape of a code (18 characters of the
    /// alphabet) whatever its check characters: for the bureau's audited override, since a few
    /// real codes fail the check.
    public static func normalizeShape(_ raw: String) -> String? {
        (try? shape(raw)).map { String($0.code) }
    }

    /// Trims, rejects full-width input, upper-cases, and checks length and alphabet.
    private static func shape(_ raw: String) throws(USCCError) -> (code: [Character], digits: [Int]) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // Checked before upper-casing: people paste codes typed with a Chinese input method,
        // and a full-width "Ａ" deserves its own message rather than "'Ａ' is not allowed".
        if trimmed.unicodeScalars.contains(where: isFullWidth) {
            throw .fullWidthCharacters
        }
        let code = Array(trimmed.uppercased())
        guard code.count == 18 else { throw .wrongLength(code.count) }
        var digits: [Int] = []
        digits.reserveCapacity(18)
        for (index, character) in code.enumerated() {
            guard let value = values[character] else {
                throw .disallowedCharacter(character, position: index + 1)
            }
            digits.append(value)
        }
        return (code, digits)
    }

    /// Whether `raw` normalizes to a valid code.
    public static func isValid(_ raw: String) -> Bool {
        (try? normalize(raw)) != nil
    }

    /// Completes a code from its first 16 characters by appending the organization-code check
    /// (position 17) and the final check character (position 18); for demo and synthetic data.
    ///
    /// Returns nil when `first16` is not 16 characters of the alphabet. Every such prefix can be
    /// completed: the organization check is a digit or `X`, and `X` is in the alphabet.
    public static func withCheckCharacters(_ first16: String) -> String? {
        let prefix = Array(first16)
        let prefixValues = prefix.compactMap { values[$0] }
        guard prefix.count == 16, prefixValues.count == 16 else { return nil }
        let organizationCheck = organizationCheckCharacter(Array(prefix[8..<16]))
        let digits = prefixValues + [values[organizationCheck]!]
        return String(prefix) + String(organizationCheck) + String(checkCharacter(digits))
    }

    /// `c18 = (31 − Σ cᵢ·wᵢ mod 31) mod 31` over the values of positions 1–17.
    private static func checkCharacter(_ digits: [Int]) -> Character {
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// GB 11714: characters valued 0–9 and A=10 … Z=35, `c = 11 − (Σ mod 11)`, 10 → X, 11 → 0.
    private static func organizationCheckCharacter(_ body: [Character]) -> Character {
        let sum = zip(body, organizationWeights).reduce(0) { total, pair in
            total + organizationValue(pair.0) * pair.1
        }
        switch 11 - sum % 11 {
        case 10: return "X"
        case 11: return "0"
        case let check: return Character(String(check))
        }
    }

    /// Base-36 value of an alphabet character (`0`…`9`, then `A` = 10 … `Y` = 34).
    private static func organizationValue(_ character: Character) -> Int {
        let ascii = Int(character.asciiValue ?? 0)
        return character.isNumber ? ascii - 48 : ascii - 55
    }

    /// Full-width forms (U+FF01–U+FF5E) and the ideographic space, as a Chinese IME types them.
    private static func isFullWidth(_ scalar: Unicode.Scalar) -> Bool {
        (0xFF01...0xFF5E).contains(scalar.value) || scalar.value == 0x3000
    }
}

/// Why a string is not a valid unified social credit code; `message` is shown to users.
public enum USCCError: Error, Sendable, Equatable {
    case fullWidthCharacters
    case wrongLength(Int)
    case disallowedCharacter(Character, position: Int)
    case checkCharacter(expected: Character)
    case organizationCheckCharacter(expected: Character)

    public var message: String {
        switch self {
        case .fullWidthCharacters:
            "full-width characters are not allowed"
        case .wrongLength(let count):
            "must be 18 characters (got \(count))"
        case .disallowedCharacter(let character, let position):
            "'\(character)' at position \(position) is not allowed"
        case .checkCharacter(let expected):
            "position 18 should be '\(expected)' (check character)"
        case .organizationCheckCharacter(let expected):
            "position 17 should be '\(expected)' (organization code check)"
        }
    }
}
