import ChanjiaoDomain
import Foundation
import Logging
import Synchronization
import NIOPosix
import PostgresNIO
import _ConnectionPoolModule

/// The PostgreSQL side of Chanjiao: every query the service runs goes through here.
public struct Store: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    let sessions = SessionCache()
    let documentCache = DocumentCache()
    /// Anonymous first pages of the public lists (`PublicPageKey`), forgotten with the documents.
    let pageCache = PageCache(capacity: 1_000)
    /// The scoreboard's and the overview's answers, by request; emptied by every change to
    /// what they read (`supervision_changes`).
    let supervisionCache = EpochCache<String, String>(capacity: 512, needsListener: true)
    /// Change-feed long polls waiting for `outbox_changes`.
    let feedWaiters = FeedWaiters()
    /// Where the server listens, to tell an unreachable database from a busy pool.
    let server: (host: String, port: Int)?
    /// "Now" for everything the store dates: sessions, throttles, audit and outbox rows.
    public let clock: any WallClock
    /// The region served, certification validity and the national application's precondition.
    public let rules: CertificationRules

    /// `database` is the server `client` talks to; without it (tools, tests) a request waits
    /// for a connection up to `connectionWaitLimit` whatever the reason.
    public init(
        client: PostgresClient, logger: Logger, database: DatabaseURL? = nil, clock: any WallClock = SystemClock(),
        rules: CertificationRules = CertificationRules()
    ) {
        self.client = client
        self.logger = logger
        self.clock = clock
        self.rules = rules
        self.server = database.flatMap { $0.socketDirectory == nil ? ($0.host, $0.port) : nil }
    }

    /// How long a request waits for a database connection before the server is probed: if it
    /// accepts no TCP connection, the request is told 503 at once (the pool itself would queue
    /// it for a minute). A reachable server with a busy pool gets up to `connectionWaitLimit`.
    public static let connectionWait: Duration = .seconds(3)
    public static let connectionWaitLimit: Duration = .seconds(30)

    /// Runs `body` in one transaction; database errors come out as client problems where they are
    /// the client's (a duplicate, a vanished reference), so callers never see driver types.
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await transaction(begin: "BEGIN", body)
    }

    /// Runs reads that must agree with each other in one read-only REPEATABLE READ
    /// transaction: one snapshot of the whole database.
    public func snapshot<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Runs `body` in one read-write REPEATABLE READ transaction: its reads agree with each
    /// other, and a row it locks that another transaction changed since is an error (40001),
    /// not a silent overwrite.
    func repeatableTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ", body)
    }

    private func transaction<T: Sendable>(
        begin: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: begin), logger: logger)
                let value: T
                do {
                    value = try await body(connection)
                } catch {
                    // Not PostgresConnection.withTransaction: after the server has dropped the
                    // connection (a restart), its ROLLBACK on that connection never returns
                    // (postgres-nio 1.33). A lost connection rolls back on the server anyway.
                    if !DatabaseErrors.isConnectionLost(error) && !connection.isClosed {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                    }
                    throw error
                }
                try await connection.query("COMMIT", logger: logger)
                return value
            }
        } catch {
            throw DatabaseErrors.translate(error)
        }
    }

    /// Runs a read outside a transaction, with the same error translation.
    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await withConnection(body)
        } catch {
            throw DatabaseErrors.translate(error)
        }
    }

    /// Leases a connection for `body`, waiting at most `connectionWait` for one: while the
    /// database is down, requests get a 503 within seconds instead of hanging. Once leased,
    /// `body` takes as long as it takes, unless its connection closes under it: then it gets
    /// `closedGrace` to fail by itself before the request is answered 503 and the work is left
    /// behind. (postgres-nio 1.33 never completes a query queued on a connection the server has
    /// just ended; without this, such a request would hang for good.)
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let outcome = OneShot<T>()
        let client = client
        let logger = logger
        let work = Task {
            do {
                let value = try await client.withConnection { connection in
                    // Too late: the request was already answered 503; it must not write now.
                    guard outcome.leased(connection) else { throw CancellationError() }
                    return try await body(connection)
                }
                outcome.resume(returning: value)
            } catch {
                outcome.resume(throwing: error)
            }
        }
        // Wakes only for slow work (a fast one cancels it first): no lease yet, or a connection
        // that may have closed under the work.
        let server = server
        let timer = Task {
            let start = ContinuousClock.now
            var closedAt: ContinuousClock.Instant?
            while true {
                try await Task.sleep(for: Self.watchInterval)
                let now = ContinuousClock.now
                if let connection = outcome.connection {
                    guard connection.isClosed else { continue }
                    closedAt = closedAt ?? now
                    if let closedAt, now - closedAt >= Self.closedGrace {
                        if outcome.resume(throwing: DatabaseErrors.unavailable) {
                            logger.warning("work on a closed database connection did not end; answered 503")
                        }
                        return
                    }
                } else if now - start >= Self.connectionWait {
                    var down = false
                    if let server { down = await Self.refusesConnections(host: server.host, port: server.port) }
                    if down || now - start >= Self.connectionWaitLimit {
                        if outcome.resume(throwing: down ? DatabaseErrors.unavailable : DatabaseErrors.busy) { work.cancel() }
                        return
                    }
                }
            }
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            work.cancel()
        }
    }

    /// Whether nothing accepts a TCP connection at the database's address (within a second).
    static func refusesConnections(host: String, port: Int) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(1)).connect(host: host, port: port).get()
            try? await channel.close()
            return false
        } catch {
            return true
        }
    }

    /// How long work on a connection that closed under it may take to fail by itself.
    static let closedGrace: Duration = .seconds(1)
    /// How often slow work is looked at.
    static let watchInterval: Duration = .milliseconds(500)

    public func isReady() async -> Bool {
        do {
            // Through `read`, so an unreachable database is "not ready" once `connectionWait` and
            // the port probe say so.
            return try await read { connection in
                try await connection.query("SELECT 1", logger: logger).collect().count == 1
            }
        } catch {
            return false
        }
    }
}

/// Maps SQL states to problems: 23505 → 409, 23503 → 422, 23514 → 422, a lost or refused
/// connection → 503. Anything else stays an internal error, logged by the API and never shown
/// to the client. No message names a constraint: clients get field names, not schema names.
public enum DatabaseErrors {
    public static func translate(_ error: any Error) -> any Error {
        if error is Problem { return error }
        if let pool = error as? ConnectionPoolError, pool == .connectionCreationCircuitBreakerTripped {
            return unavailable
        }
        guard let psql = error as? PSQLError else { return error }
        if isConnectionLost(psql) || psql.code == .poolClosed || psql.code == .queryCancelled { return unavailable }
        guard let state = psql.serverInfo?[.sqlState] else { return error }
        let constraint = psql.serverInfo?[.constraintName] ?? ""
        switch state {
        case "23505":
            return Problem.conflict(duplicateMessage(constraint))
        case "23503":
            return Problem.invalid(field: constraintField(constraint), "refers to a record that does not exist")
        case "23514", "23502":
            return Problem.invalid(field: constraintField(constraint), "is not allowed by the rules for this field")
        case "40001", "40P01":
            return Problem.conflict("the record changed concurrently; retry the request")
        case "57P01", "57P02", "57P03", "53300":
            // Shutting down, crashed, starting up, too many connections.
            return unavailable
        case _ where state.hasPrefix("08"):
            return unavailable
        case _ where state.hasPrefix("22"):
            // A data exception: a value the client sent that PostgreSQL cannot take.
            return Problem.invalid(field: "$", "holds a value that cannot be stored")
        default:
            return error
        }
    }

    /// Whether the connection is gone: it broke, or the server ended it (FATAL: shutting down).
    static func isConnectionLost(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError else { return false }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown: return true
        default: return ["FATAL", "PANIC"].contains(psql.serverInfo?[.severity] ?? "")
        }
    }

    static let unavailable = Problem.unavailable("the database is not reachable right now; retry shortly")
    static let busy = Problem.unavailable("no database connection became free in time; retry shortly")

    static func duplicateMessage(_ constraint: String) -> String {
        switch constraint {
        case "enterprises_uscc_key": "an enterprise with this unified social credit code already exists"
        case "accounts_username_key": "this username is taken"
        case "colleges_school_code_key": "a college with this school code already exists"
        case "talents_source_external_id_key": "a talent with this source and external_id already exists"
        case "programs_owner_external_id": "the college already has a program with this external_id"
        case "demands_owner_external_id": "the enterprise already has a demand with this external_id"
        case "applications_one_open": "the enterprise already has an open application for this level and year"
        default: "a record with these values already exists"
        }
    }

    /// `programs_college_id_fkey` → `college_id`: good enough to point the client at the field.
    static func constraintField(_ constraint: String) -> String {
        let parts = constraint.split(separator: "_")
        guard parts.count >= 3 else { return "$" }
        return parts.dropFirst().dropLast().joined(separator: "_")
    }
}

/// The outcome of one `withConnection`: the first of the work's result, the lease timeout and
/// the closed-connection grace wins; later ones are dropped.
final class OneShot<T: Sendable>: Sendable {
    private struct State {
        var connection: PostgresConnection?
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
    }

    private let state = Mutex(State())

    /// Records the lease; false when the outcome was already decided (the work must not start).
    func leased(_ connection: PostgresConnection) -> Bool {
        state.withLock { state in
            guard state.result == nil else { return false }
            state.connection = connection
            return true
        }
    }
    var connection: PostgresConnection? { state.withLock { $0.connection } }

    func resume(returning value: T) { _ = finish(.success(value)) }

    /// Whether this error was the outcome (nothing had finished before it).
    @discardableResult
    func resume(throwing error: any Error) -> Bool { finish(.failure(error)) }

    private func finish(_ result: Result<T, any Error>) -> Bool {
        let (won, waiter) = state.withLock { state -> (Bool, CheckedContinuation<T, any Error>?) in
            guard state.result == nil else { return (false, nil) }
            state.result = result
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume(with: result)
        return won
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<T, any Error>? in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
