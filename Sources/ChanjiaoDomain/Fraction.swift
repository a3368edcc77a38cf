/// An exact non-negative-denominator fraction, so that no floating point decides a list.
/// Products are taken in 128 bits, so comparing two fractions never overflows; a sum or
/// difference is reduced there before it comes back to 64 bits (counts, targets and days keep
/// it far inside).
public struct Fraction: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let numerator: Int
    public let denominator: Int

    public init(_ numerator: Int, _ denominator: Int = 1) {
        precondition(denominator != 0, "a fraction needs a non-zero denominator")
        let sign = denominator < 0 ? -1 : 1
        let divisor = Self.gcd(abs(numerator), abs(denominator))
        self.init(lowest: sign * numerator / max(divisor, 1), sign * denominator / max(divisor, 1))
    }

    /// Already in lowest terms, the denominator positive.
    private init(lowest numerator: Int, _ denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    public static let zero = Fraction(0)
    public static let one = Fraction(1)

    public static func + (a: Fraction, b: Fraction) -> Fraction {
        reduced(wide(a.numerator, b.denominator) + wide(b.numerator, a.denominator), wide(a.denominator, b.denominator))
    }

    public static func - (a: Fraction, b: Fraction) -> Fraction {
        reduced(wide(a.numerator, b.denominator) - wide(b.numerator, a.denominator), wide(a.denominator, b.denominator))
    }

    public static func / (a: Fraction, divisor: Int) -> Fraction { reduced(Int128(a.numerator), wide(a.denominator, divisor)) }

    public static func < (a: Fraction, b: Fraction) -> Bool { wide(a.numerator, b.denominator) < wide(b.numerator, a.denominator) }

    private static func wide(_ a: Int, _ b: Int) -> Int128 { Int128(a) * Int128(b) }

    /// `numerator / denominator` (the denominator positive: a product of positive ones) in
    /// lowest terms.
    private static func reduced(_ numerator: Int128, _ denominator: Int128) -> Fraction {
        var (a, b) = (numerator.magnitude, denominator.magnitude)
        while b != 0 { (a, b) = (b, a % b) }
        let divisor = Int128(max(a, 1))
        guard let n = Int(exactly: numerator / divisor), let d = Int(exactly: denominator / divisor) else {
            preconditionFailure("a fraction of counts and days outgrew 64 bits")
        }
        return Fraction(lowest: n, d)
    }

    public func clamped(to range: ClosedRange<Fraction>) -> Fraction { min(max(self, range.lowerBound), range.upperBound) }

    /// For display only (JSON numbers); decisions use the fraction itself.
    public var double: Double { Double(numerator) / Double(denominator) }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }
}
