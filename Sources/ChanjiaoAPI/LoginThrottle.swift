import ChanjiaoDomain
import Synchronization

/// Slows password guessing: after `limit` failed logins for one username within `window`,
/// further attempts get 429 until the window has passed. A success clears the count.
final class LoginThrottle: Sendable {
    private struct Record {
        var failures: Int
        var since: ContinuousClock.Instant
    }

    private let records = Mutex<[String: Record]>([:])
    let limit: Int
    let window: Duration

    init(limit: Int = 10, window: Duration = .seconds(15 * 60)) {
        self.limit = limit
        self.window = window
    }

    /// Throws 429 when the username is locked out for now.
    func check(_ username: String) throws(Problem) {
        let now = ContinuousClock.now
        let wait: Duration? = records.withLock { records in
            guard let record = records[username] else { return nil }
            if now - record.since > window {
                records.removeValue(forKey: username)
                return nil
            }
            return record.failures >= limit ? window - (now - record.since) : nil
        }
        if let wait {
            throw Problem(
                .tooManyRequests, title: "尝试次数过多 (too many requests)",
                detail: "too many failed logins for this username; try again later",
                extensions: ["retry_after_seconds": String(max(1, Int(wait.components.seconds)))])
        }
    }

    func failed(_ username: String) {
        let now = ContinuousClock.now
        records.withLock { records in
            if records.count > 100_000 { records.removeAll() }
            var record = records[username] ?? Record(failures: 0, since: now)
            if now - record.since > window { record = Record(failures: 0, since: now) }
            record.failures += 1
            records[username] = record
        }
    }

    func succeeded(_ username: String) {
        _ = records.withLock { $0.removeValue(forKey: username) }
    }
}
