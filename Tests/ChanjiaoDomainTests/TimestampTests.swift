import ChanjiaoDomain
import Foundation
import Testing

/// Timestamps and dates are read by hand (fast enough for imports): the same instants as
/// Foundation's ISO 8601 formatter, the same refusals.
@Suite struct TimestampTests {
    @Test func readsRFC3339AsFoundationDoes() {
        let formatter = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for text in [
            "2026-11-01T08:00:00Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2026-11-01T16:00:00+08:00",
            "2026-11-01T00:30:00-05:30", "1969-12-31T23:59:59Z", "2100-12-31T12:00:00Z",
        ] {
            #expect(Timestamp.parse(text) == formatter.date(from: text), "\(text)")
        }
        for text in ["2026-11-01T08:00:00.250Z", "2026-11-01T08:00:00.123456+08:00"] {
            let mine = Timestamp.parse(text)?.timeIntervalSince1970 ?? 0
            let theirs = fractional.date(from: text)?.timeIntervalSince1970 ?? 1
            // Foundation keeps milliseconds; this keeps microseconds, as PostgreSQL does.
            #expect(abs(mine - theirs) < 1e-3, "\(text)")
        }
        for text in [
            "", "2026-11-01", "2026-11-01 08:00:00Z", "2026-13-01T08:00:00Z", "2026-02-29T08:00:00Z", "2026-11-01T24:00:00Z",
            "2026-11-01T08:60:00Z", "2026-11-01T08:00:00", "2026-11-01T08:00:00+0800", "2026-11-01T08:00:00.Z", "２026-11-01T08:00:00Z",
            "2026-11-01T08:00:00Zjunk",
            // Outside the years dates may have, in UTC: what is stored must parse again.
            "0000-01-01T00:00:00+23:59", "1899-12-31T23:59:59Z", "1900-01-01T00:00:00+00:01", "2201-01-01T00:00:00Z",
            "2200-12-31T23:59:59-00:01", "9999-12-31T23:59:59.999999999-23:59",
        ] {
            #expect(Timestamp.parse(text) == nil, "\(text)")
        }
        for text in ["1900-01-01T00:00:00Z", "2200-12-31T23:59:59Z", "1900-01-01T05:00:00+05:00"] {
            let date = Timestamp.parse(text)
            #expect(date != nil && Timestamp.parse(Timestamp.format(date!)) == date, "\(text)")
        }
    }

    @Test func formatsInUTCWithSeconds() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0.0, 1_761_984_000, 1_761_984_000.75, -1, 951_868_799, 4_102_444_800] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.format(date) == formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down))), "\(seconds)")
        }
    }

    @Test func calendarDaysAreChecked() {
        #expect(CalendarDate.isValid("2024-02-29") && !CalendarDate.isValid("2026-02-29") && !CalendarDate.isValid("2100-02-29"))
        #expect(CalendarDate.isValid("2000-02-29") && !CalendarDate.isValid("2026-04-31") && CalendarDate.isValid("2026-12-31"))
        #expect(!CalendarDate.isValid("2026-1-01") && !CalendarDate.isValid("1899-12-31") && !CalendarDate.isValid("2026-00-10"))
    }
}
