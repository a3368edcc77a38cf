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

    /// Counts this attempt as a failure before the password is checked (a success takes it
    /// back), or refuses it with 429 when its pair or its address is over the limit. One
    /// address's attempts are counted one at a time (an advisory lock), so parallel guesses
    /// cannot all pass a count that none of them has raised yet.
    func claimLoginAttempt(username: String, address: String, now: Date) async throws {
        let since = now.addingTimeInterval(-Self.loginWindow)
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('login:' || \(address)))", logger: logger)
            let rows = try await connection.query(
                """
                SELECT count(*) FILTER (WHERE username = \(username))::int, min(failed_at) FILTER (WHERE username = \(username)),
                       count(*)::int, min(failed_at)
                FROM login_failures WHERE address = \(address) AND failed_at > \(since)
                """, logger: logger
            ).decode((Int, Date?, Int, Date?).self).all()
            if let (pair, pairOldest, all, oldest) = rows.first {
                var until: Date?
                if pair >= Self.loginFailuresPerPair, let pairOldest { until = pairOldest.addingTimeInterval(Self.loginWindow) }
                if all >= Self.loginFailuresPerAddress, let oldest {
                    until = max(until ?? .distantPast, oldest.addingTimeInterval(Self.loginWindow))
                }
                if let until {
                    throw Problem(
                        .tooManyRequests, title: "尝试次数过多 (too many requests)",
                        detail: pair >= Self.loginFailuresPerPair
                            ? "too many failed logins for this username from this address; try again later"
                            : "too many failed logins from this address; try again later",
                        extensions: ["retry_after_seconds": String(max(1, Int(until.timeIntervalSince(now).rounded(.up))))])
                }
            }
            try await connection.query(
                "INSERT INTO login_failures (username, address, failed_at) VALUES (\(username), \(address), \(now))",
                logger: logger)
        }
    }

    /// The right password from `address`: its pair's failures, this attempt's included, are forgotten.
    func forgetLoginFailures(username: String, address: String, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM login_failures WHERE username = \(username) AND address = \(address)", logger: logger)
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
