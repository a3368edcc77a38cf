/// Money: an integer number of fen (分, 1/100 yuan). Never a float; sums that would overflow
/// are refused instead of wrapping.
public struct Fen: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: Int64

    public init(_ value: Int64) { self.value = value }

    public static let zero = Fen(0)

    /// The largest amount any input takes: 1,000,000,000 yuan, far below overflow in any sum
    /// the ledger makes.
    public static let maximumInput = 100_000_000_000

    public static func < (a: Fen, b: Fen) -> Bool { a.value < b.value }

    /// The sum, or nil when it does not fit.
    public func adding(_ other: Fen) -> Fen? {
        let (sum, overflow) = value.addingReportingOverflow(other.value)
        return overflow ? nil : Fen(sum)
    }

    /// The difference, or nil when it does not fit.
    public func subtracting(_ other: Fen) -> Fen? {
        let (difference, overflow) = value.subtractingReportingOverflow(other.value)
        return overflow ? nil : Fen(difference)
    }

    /// `¥200,000.00`-style text for people; the API sends the integer.
    public var description: String {
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        let yuan = String(magnitude / 100)
        var grouped = ""
        for (index, digit) in yuan.enumerated() {
            if index > 0 && (yuan.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        let cents = magnitude % 100
        return "\(sign)¥\(grouped).\(cents < 10 ? "0" : "")\(cents)"
    }
}

extension Sequence where Element == Fen {
    /// The total, or nil when it overflows.
    public func total() -> Fen? {
        var sum = Fen.zero
        for amount in self {
            guard let next = sum.adding(amount) else { return nil }
            sum = next
        }
        return sum
    }
}
