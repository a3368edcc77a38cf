import Foundation

/// Calendar dates as `YYYY-MM-DD` strings (the wire and the PostgreSQL text form).
public enum CalendarDate {
    /// The years a date or a timestamp may have.
    public static let years = 1900...2200

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = digits(bytes[0..<4]), let month = digits(bytes[5..<7]), let day = digits(bytes[8..<10]),
            years.contains(year)
        else { return false }
        return isDay(year: year, month: month, day: day)
    }

    /// Whether the Gregorian calendar has this day.
    static func isDay(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// The number the ASCII digits spell; nil if any is not a digit.
    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Days since 1970-01-01 of a Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The Gregorian date of a day since 1970-01-01 (`civil_from_days`).
    static func date(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// ISO 8601 timestamps (RFC 3339: `2026-11-01T08:00:00Z`, with an optional fraction and a `Z`
/// or a `±HH:MM` offset), always rendered in UTC with a `Z`. Parsed and formatted by hand:
/// Foundation's formatter costs about a millisecond to make, which an import of 100,000 rows
/// cannot pay per row.
public enum Timestamp {
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        func at(_ index: Int, _ character: Character) -> Bool { index < b.count && b[index] == character.asciiValue! }
        guard b.count >= 20, at(4, "-"), at(7, "-"), at(10, "T") || at(10, "t"), at(13, ":"), at(16, ":"),
            let year = CalendarDate.digits(b[0..<4]), let month = CalendarDate.digits(b[5..<7]),
            let day = CalendarDate.digits(b[8..<10]), let hour = CalendarDate.digits(b[11..<13]),
            let minute = CalendarDate.digits(b[14..<16]), let second = CalendarDate.digits(b[17..<19]),
            CalendarDate.isDay(year: year, month: month, day: day), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if at(index, ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[index]) {
                fraction += Double(b[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > start, index - start <= 9 else { return nil }
        }
        var offset = 0
        if at(index, "Z") || at(index, "z") {
            index += 1
        } else if at(index, "+") || at(index, "-"), index + 6 == b.count, at(index + 3, ":"),
            let hours = CalendarDate.digits(b[(index + 1)..<(index + 3)]), let minutes = CalendarDate.digits(b[(index + 4)..<(index + 6)]),
            hours < 24, minutes < 60
        {
            offset = (hours * 60 + minutes) * 60 * (at(index, "-") ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == b.count else { return nil }
        let days = CalendarDate.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        // The moment in UTC lies in the years dates may have, so what is stored renders as a
        // timestamp that parses again (year 0000 or 10000 would not).
        let utcDays = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        guard CalendarDate.years.contains(CalendarDate.date(daysSinceEpoch: utcDays).year) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    public static func format(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let inDay = total - days * 86_400
        let (year, month, day) = CalendarDate.date(daysSinceEpoch: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(String(format: "%04d", year))-\(two(month))-\(two(day))T\(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60))Z"
    }
}
