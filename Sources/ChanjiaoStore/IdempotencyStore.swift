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

    /// The response to a write: its document with `ETag` (and `Location` when it created one),
    /// or no content.
    init(_ written: Written, status: Int, locationPrefix: String?) {
        self.status = status
        guard let document = written.document else {
            self.headers = [:]
            self.body = Data()
            return
        }
        var headers = ["Content-Type": "application/json; charset=utf-8", "ETag": "\"\(document.version)\""]
        if let locationPrefix { headers["Location"] = locationPrefix + written.id.uuidString.lowercased() }
        self.headers = headers
        self.body = Data(document.json.utf8)
    }
}

/// Idempotency keys live in the write's own transaction (see `Store.write`): the claim, the
/// work and the kept response commit together or not at all, so a crash leaves no key behind,
/// and a failed request keeps none (its retry runs again).
extension Store {
    /// Claims the key, or returns the response kept under it. A concurrent request with the
    /// same key blocks on the insert until the first commits (then its response is replayed)
    /// or rolls back (then this one proceeds). The same key with another body is a 422; a key
    /// older than a day counts as unused.
    func claim(_ request: IdempotencyRequest, secretHash: String?, now: Date, on connection: PostgresConnection) async throws -> StoredResponse? {
        let expired = now.addingTimeInterval(-IdempotencyRequest.lifetime)
        try await connection.query(
            "DELETE FROM idempotency_keys WHERE scope = \(request.scope) AND key = \(request.key) AND created_at < \(expired)",
            logger: logger)
        let claimed = try await connection.query(
            """
            INSERT INTO idempotency_keys (scope, key, request_hash, secret_hash, created_at)
            VALUES (\(request.scope), \(request.key), \(request.requestHash), \(secretHash), \(now))
            ON CONFLICT DO NOTHING RETURNING true
            """, logger: logger
        ).decode(Bool.self).all()
        if !claimed.isEmpty { return nil }
        let rows = try await connection.query(
            """
            SELECT request_hash, status, headers::text, body, secret_hash FROM idempotency_keys
            WHERE scope = \(request.scope) AND key = \(request.key)
            """,
            logger: logger
        ).decode((Data, Int?, String?, Data?, String?).self).all()
        guard let (hash, status, headers, body, keptSecrets) = rows.first, let status else {
            // Removed (a talent's erasure) between the two statements: as good as unused.
            throw Problem.conflict("a request with this Idempotency-Key changed concurrently; retry it")
        }
        let sameSecrets: Bool
        switch (request.secrets, keptSecrets) {
        case (nil, nil): sameSecrets = true
        case (let secrets?, let kept?): sameSecrets = try await Self.verifyPassword(secrets, hash: kept)
        default: sameSecrets = false
        }
        guard hash == request.requestHash, sameSecrets else {
            throw Problem.invalid(field: "Idempotency-Key", "was already used with a different request")
        }
        let headerMap = (try? JSONDecoder().decode([String: String].self, from: Data((headers ?? "{}").utf8))) ?? [:]
        return StoredResponse(status: status, headers: headerMap, body: body ?? Data())
    }

    /// Keeps the response of the write under its key, in the write's transaction.
    func keep(_ request: IdempotencyRequest, _ written: Written, on connection: PostgresConnection) async throws {
        var kept = written
        if let replay = written.replayDocument { kept.document = replay }
        let response = StoredResponse(kept, status: request.status, locationPrefix: request.locationPrefix)
        let headers = String(decoding: try JSONEncoder().encode(response.headers), as: UTF8.self)
        try await connection.query(
            """
            UPDATE idempotency_keys SET status = \(response.status), headers = \(headers)::jsonb, body = \(response.body),
                resource_type = \(written.event.objectType), resource_id = \(written.id)
            WHERE scope = \(request.scope) AND key = \(request.key)
            """, logger: logger)
    }

    /// Forgets keys older than a day (their rows hold responses, some with personal data).
    func purgeExpiredIdempotencyKeys() async throws {
        let expired = clock.now().addingTimeInterval(-IdempotencyRequest.lifetime)
        try await read { connection in
            try await connection.query("DELETE FROM idempotency_keys WHERE created_at < \(expired)", logger: logger)
        }
    }
}
