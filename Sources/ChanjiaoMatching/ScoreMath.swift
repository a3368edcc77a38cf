/// Exact integer helpers behind the score. Nothing here touches floating point: two
/// implementations of MATCHING.md must agree to the integer.
public enum ScoreMath {
    /// `numerator / denominator` rounded to the nearest integer, ties to the even one
    /// (`14825/2 = 7412.5 → 7412`, `14827/2 = 7413.5 → 7414`).
    /// Precondition: `numerator ≥ 0`, `denominator > 0` (every score fraction is).
    @inlinable
    public static func roundHalfEven(_ numerator: Int, _ denominator: Int) -> Int {
        let quotient = numerator / denominator
        let twiceRemainder = 2 * (numerator - quotient * denominator)
        if twiceRemainder > denominator { return quotient + 1 }
        if twiceRemainder < denominator { return quotient }
        return quotient + (quotient & 1)
    }

    /// Whether `roundHalfEven(numerator, denominator) ≥ threshold`, decided by one
    /// cross-multiplication instead of a division: the rounded value reaches `threshold` iff
    /// the fraction exceeds `threshold − ½`, or equals it and the tie goes up (even threshold).
    /// Recommendations use it to reject most candidates without dividing.
    @inlinable
    public static func roundHalfEven(_ numerator: Int, _ denominator: Int, isAtLeast threshold: Int) -> Bool {
        let twiceNumerator = 2 * numerator
        let bar = (2 * threshold - 1) * denominator
        return twiceNumerator > bar || (twiceNumerator == bar && threshold & 1 == 0)
    }

    /// Credit scale: `c(s) = creditUnit · sim · min(t.level, s.level) / s.level` with `sim` in
    /// halves (2 exact, 1 same group), so the exact skill at the level asked earns 120.
    public static let creditUnit = 60
    /// The largest credit one demand skill can earn (`W` weights this in the denominator).
    public static let maxCredit = 120

    /// `c` for one taught/asked pair. `60 · sim · min / asked` is an integer for every level
    /// pair because 60 is divisible by 1…5, so this division is exact.
    @inlinable
    public static func credit(sim: Int, taught: Int, asked: Int) -> Int {
        creditUnit * sim * min(taught, asked) / asked
    }

    /// `credits[sim][taught][asked]` flattened: index `sim·36 + taught·6 + asked`, with taught
    /// level 0 meaning "not taught" (credit 0). Hot loops read this instead of dividing.
    static let creditTable: [Int32] = {
        var table = [Int32](repeating: 0, count: 3 * 36)
        for sim in 1...2 {
            for taught in 1...5 {
                for asked in 1...5 {
                    table[sim * 36 + taught * 6 + asked] = Int32(credit(sim: sim, taught: taught, asked: asked))
                }
            }
        }
        return table
    }()

    /// geo points for two six-digit GB/T 2260 codes held as integers: same county, same
    /// prefecture (first four digits), same province (first two), otherwise.
    static func geo(_ a: Int32, _ b: Int32, _ config: ScoreConfig) -> Int {
        if a == b { return config.geoCounty }
        if a / 100 == b / 100 { return config.geoPrefecture }
        if a / 10_000 == b / 10_000 { return config.geoProvince }
        return config.geoOther
    }
}
