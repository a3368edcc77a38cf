import ChanjiaoDomain
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL side of Chanjiao: every query the service runs goes through here.
public struct Store: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    let sessions = SessionCache()
    let documentCache = DocumentCache()

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Runs `body` in one transaction; database errors come out as client problems where they are
    /// the client's (a duplicate, a vanished reference), so callers never see driver types.
    public func transaction<T: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(connection)
            }
        } catch let error as PostgresTransactionError {
            throw DatabaseErrors.translate(error.closureError ?? error.commitError ?? error)
        } catch {
            throw DatabaseErrors.translate(error)
        }
    }

    /// Runs a read outside a transaction, with the same error translation.
    @discardableResult
    public func read<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        do {
            return try await body(client)
        } catch {
            throw DatabaseErrors.translate(error)
        }
    }

    public func isReady() async -> Bool {
        do {
            return try await client.query("SELECT 1", logger: logger).collect().count == 1
        } catch {
            return false
        }
    }
}

/// Maps SQL states to problems: 23505 → 409, 23503 → 422, 23514 → 422. Anything else stays an
/// internal error, logged by the API and never shown to the client.
public enum DatabaseErrors {
    public static func translate(_ error: any Error) -> any Error {
        if error is Problem { return error }
        guard let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] else { return error }
        let constraint = psql.serverInfo?[.constraintName] ?? ""
        switch state {
        case "23505":
            return Problem.conflict(duplicateMessage(constraint))
        case "23503":
            return Problem.invalid(field: constraintField(constraint), "refers to a record that does not exist")
        case "23514", "23502":
            return Problem.invalid(field: constraintField(constraint), "breaks the rule \(constraint)")
        case "40001", "40P01":
            return Problem.conflict("the record changed concurrently; retry the request")
        default:
            return error
        }
    }

    static func duplicateMessage(_ constraint: String) -> String {
        switch constraint {
        case "enterprises_uscc_key": "an enterprise with this unified social credit code already exists"
        case "accounts_username_key": "this username is taken"
        case "colleges_school_code_key": "a college with this school code already exists"
        case "talents_source_external_id_key": "a talent with this source and external_id already exists"
        default: "a record with these values already exists (\(constraint))"
        }
    }

    /// `programs_college_id_fkey` → `college_id`: good enough to point the client at the field.
    static func constraintField(_ constraint: String) -> String {
        let parts = constraint.split(separator: "_")
        guard parts.count >= 3 else { return "$" }
        return parts.dropFirst().dropLast().joined(separator: "_")
    }
}
