import ChanjiaoDomain
import Foundation
import PostgresNIO

/// The sign-in throttle, in PostgreSQL so every instance shares it. Failures count per
/// (username, client address) and per address over a sliding window; a correct password is
/// refused only while its pair or its address is over the limit, so a stranger's guesses from
/// elsewhere cannot lock the owner out.
extension Store {
    public static let loginWindow: TimeInterval = 10 * 60
    public static let loginFailuresPerPair = 10
    public static let loginFailuresPerAddress = 100

    func checkLoginThrottle(username: String, address: String, now: Date) async throws {
        let since = now.addingTimeInterval(-Self.loginWindow)
        let rows = try await read { connection in
            try await connection.query(
                """
                SELECT count(*) FILTER (WHERE username = \(username))::int, min(failed_at) FILTER (WHERE username = \(username)),
                       count(*)::int, min(failed_at)
                FROM login_failures WHERE address = \(address) AND failed_at > \(since)
                """, logger: logger
            ).decode((Int, Date?, Int, Date?).self).all()
        }
        guard let (pair, pairOldest, all, oldest) = rows.first else { return }
        var until: Date?
        if pair >= Self.loginFailuresPerPair, let pairOldest { until = pairOldest.addingTimeInterval(Self.loginWindow) }
        if all >= Self.loginFailuresPerAddress, let oldest {
            until = max(until ?? .distantPast, oldest.addingTimeInterval(Self.loginWindow))
        }
        guard let until else { return }
        throw Problem(
            .tooManyRequests, title: "尝试次数过多 (too many requests)",
            detail: pair >= Self.loginFailuresPerPair
                ? "too many failed logins for this username from this address; try again later"
                : "too many failed logins from this address; try again later",
            extensions: ["retry_after_seconds": String(max(1, Int(until.timeIntervalSince(now).rounded(.up))))])
    }

    func recordLoginFailure(username: String, address: String, now: Date) async throws {
        try await read { connection in
            try await connection.query(
                "INSERT INTO login_failures (username, address, failed_at) VALUES (\(username), \(address), \(now))",
                logger: logger)
        }
    }

    /// Forgets what is past every window: old login failures and sessions long expired.
    func purgeLoginState() async throws {
        let since = clock.now().addingTimeInterval(-Self.loginWindow)
        let expired = clock.now().addingTimeInterval(-7 * 24 * 3600)
        try await read { connection in
            try await connection.query("DELETE FROM login_failures WHERE failed_at < \(since)", logger: logger)
            try await connection.query("DELETE FROM sessions WHERE expires_at < \(expired)", logger: logger)
        }
    }
}
