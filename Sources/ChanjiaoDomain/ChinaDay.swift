import Foundation

/// A calendar day in China Standard Time (Asia/Shanghai, UTC+8 all year): the day a moment
/// counts on. A transition at 2026-09-30T20:00Z counts on 2026-10-01.
public struct ChinaDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar
    }()

    /// The day `moment` falls on in China.
    public init(_ moment: Date) {
        let parts = Self.calendar.dateComponents([.year, .month, .day], from: moment)
        year = parts.year!
        month = parts.month!
        day = parts.day!
    }

    /// `YYYY-MM-DD`, or nil when it is not a real day.
    public init?(_ text: String) {
        guard CalendarDate.isValid(text) else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    public init?(year: Int, month: Int, day: Int) {
        guard CalendarDate.isDay(year: year, month: month, day: day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func januaryFirst(of year: Int) -> ChinaDay { ChinaDay(year: year, month: 1, day: 1)! }

    /// Midnight at the start of the day, China time.
    public var start: Date { Self.calendar.date(from: DateComponents(year: year, month: month, day: day))! }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    public func days(to other: ChinaDay) -> Int {
        Self.calendar.dateComponents([.day], from: start, to: other.start).day!
    }

    public func adding(days: Int) -> ChinaDay { ChinaDay(Self.calendar.date(byAdding: .day, value: days, to: start)!) }

    public func adding(years: Int) -> ChinaDay? {
        Self.calendar.date(byAdding: .year, value: years, to: start).map(ChinaDay.init)
    }

    public static func < (a: ChinaDay, b: ChinaDay) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}
