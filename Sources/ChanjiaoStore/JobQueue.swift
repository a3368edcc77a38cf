import Foundation
import PostgresNIO

/// What kind of background work a job is; its `subject` is that work's own row.
public enum JobKind: String, Sendable, CaseIterable {
    /// `subject`: a `match_runs` row.
    case matchRun = "match_run"
    /// `subject`: a `webhook_deliveries` row.
    case webhookDelivery = "webhook_delivery"
}

/// A claimed job: held by this worker until its lease ends.
public struct Job: Sendable, Equatable {
    public var id: Int64
    public var kind: JobKind
    public var subject: UUID
    /// How often it has been claimed, this time included.
    public var attempts: Int
}

/// The one job queue (`sql/0013`): every instance's workers claim due jobs with `FOR UPDATE
/// SKIP LOCKED`, so each job is worked on by one worker at a time; a lease, renewed while the
/// work goes on, lets another instance take a job over when its worker dies.
extension Store {
    /// Adds a job in the caller's transaction, so it exists exactly when the work it stands
    /// for does. A subject has one job at a time: one already queued (or held) stays as it is.
    func enqueue(_ kind: JobKind, subjects: [UUID], on connection: PostgresConnection) async throws {
        guard !subjects.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO jobs (kind, subject) SELECT \(kind.rawValue), s FROM unnest(\(subjects)::uuid[]) AS u(s)
            ON CONFLICT (kind, subject) DO NOTHING
            """, logger: logger)
    }

    /// The subject's job from its first attempt, due now; one a worker holds is left to finish
    /// its attempt (a second worker must not start another).
    func restartJob(_ kind: JobKind, subject: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO jobs (kind, subject) VALUES (\(kind.rawValue), \(subject))
            ON CONFLICT (kind, subject) DO UPDATE SET attempts = 0, run_at = now() WHERE jobs.locked_by IS NULL
            """, logger: logger)
    }

    /// The oldest due job of these kinds, now held by `worker` for `lease`.
    public func claimJob(kinds: [JobKind], worker: String, lease: Duration) async throws -> Job? {
        let rows = try await read { connection in
            try await connection.query(
                """
                UPDATE jobs SET locked_by = \(worker), locked_until = now() + make_interval(secs => \(lease.inSeconds)),
                    attempts = attempts + 1
                WHERE id = (SELECT id FROM jobs
                            WHERE kind = ANY(\(kinds.map(\.rawValue))) AND run_at <= now()
                              AND (locked_until IS NULL OR locked_until < now())
                            ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING id, kind, subject, attempts
                """, logger: logger
            ).decode((Int64, String, UUID, Int).self).all()
        }
        guard let (id, kind, subject, attempts) = rows.first, let jobKind = JobKind(rawValue: kind) else { return nil }
        return Job(id: id, kind: jobKind, subject: subject, attempts: attempts)
    }

    /// Keeps the job held while its work goes on (no longer this worker's: nothing happens).
    public func renewJob(_ job: Job, worker: String, lease: Duration) async throws {
        try await read { connection in
            try await connection.query(
                """
                UPDATE jobs SET locked_until = now() + make_interval(secs => \(lease.inSeconds))
                WHERE id = \(job.id) AND locked_by = \(worker)
                """, logger: logger)
        }
    }

    /// Gives the job back: due again at `runAt` (a retry), or now (a worker shutting down).
    public func releaseJob(_ job: Job, worker: String, runAt: Date? = nil) async throws {
        try await read { connection in
            try await connection.query(
                """
                UPDATE jobs SET locked_by = NULL, locked_until = NULL, run_at = coalesce(\(runAt), now())
                WHERE id = \(job.id) AND locked_by = \(worker)
                """, logger: logger)
        }
    }

    /// The job is done (or abandoned, its subject says how it ended).
    public func finishJob(_ job: Job, worker: String) async throws {
        try await read { connection in
            try await connection.query("DELETE FROM jobs WHERE id = \(job.id) AND locked_by = \(worker)", logger: logger)
        }
    }
}

extension Duration {
    /// Whole and fractional seconds, for SQL intervals and match runs' timings.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
