import ChanjiaoDomain
import Foundation
import PostgresNIO

/// A creating request's first response, kept under its `Idempotency-Key`.
public struct StoredResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

extension Store {
    public enum IdempotencyClaim: Sendable {
        /// First use of the key: do the work, then `finishIdempotent` or `releaseIdempotent`.
        case proceed
        case replay(StoredResponse)
    }

    /// Claims a key for one request; the same key with another body is a 422, and a key whose
    /// first request is still running is a 409 (the client retried too early).
    public func claimIdempotencyKey(scope: String, key: String, requestHash: Data) async throws -> IdempotencyClaim {
        try await read { connection in
            let claimed = try await connection.query(
                """
                INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (\(scope), \(key), \(requestHash))
                ON CONFLICT DO NOTHING RETURNING true
                """, logger: logger
            ).decode(Bool.self).all()
            if !claimed.isEmpty { return .proceed }
            let rows = try await connection.query(
                "SELECT request_hash, status, headers::text, body FROM idempotency_keys WHERE scope = \(scope) AND key = \(key)",
                logger: logger
            ).decode((Data, Int?, String?, Data?).self).all()
            guard let (hash, status, headers, body) = rows.first else { return .proceed }
            guard hash == requestHash else {
                throw Problem.invalid(field: "Idempotency-Key", "was already used with a different request")
            }
            guard let status else {
                throw Problem.conflict("a request with this Idempotency-Key is still being processed; retry shortly")
            }
            let headerMap = (try? JSONDecoder().decode([String: String].self, from: Data((headers ?? "{}").utf8))) ?? [:]
            return .replay(StoredResponse(status: status, headers: headerMap, body: body ?? Data()))
        }
    }

    public func finishIdempotent(scope: String, key: String, response: StoredResponse) async throws {
        let headers = String(decoding: try JSONEncoder().encode(response.headers), as: UTF8.self)
        try await read { connection in
            try await connection.query(
                """
                UPDATE idempotency_keys SET status = \(response.status), headers = \(headers)::jsonb, body = \(response.body)
                WHERE scope = \(scope) AND key = \(key)
                """, logger: logger)
        }
    }

    /// Frees a key whose request failed on our side, so a retry can run it again.
    public func releaseIdempotent(scope: String, key: String) async throws {
        try await read { connection in
            try await connection.query("DELETE FROM idempotency_keys WHERE scope = \(scope) AND key = \(key)", logger: logger)
        }
    }
}
