import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Partner API keys: made by the bureau, shown once, kept as a SHA-256 hash, revoked at once.
extension Store {
    public func createApiKey(_ input: ApiKeyInput, actor: WriteActor) async throws -> WriteOutcome {
        let key = Self.newSecret(prefix: "cjk_")
        let hash = Self.tokenHash(key)
        let prefix = String(key.prefix(12))
        return try await write(actor) { connection in
            if let college = input.organizationID {
                let found = try await connection.query("SELECT count(*)::int FROM colleges WHERE id = \(college)", logger: logger)
                    .decode(Int.self).all()
                if found.first != 1 { throw Problem.invalid(field: "organization_id", "no college has this id") }
            }
            let rows = try await connection.query(
                """
                INSERT INTO api_keys AS k (name, key_hash, key_prefix, scopes, source, college_id, created_by)
                VALUES (\(input.name), \(hash), \(prefix), \(input.scopes.map(\.rawValue))::text[], \(input.source),
                        \(input.organizationID), \(actor.caller.accountID))
                RETURNING k.id, api_key_doc(k)::text
                """, logger: logger
            ).decode((UUID, String).self).all()
            let (id, json) = rows[0]
            let document = try JSONValue.parse(Data(json.utf8))
            var written = Written(
                id: id, document: Document(json: Self.jsonText(document.merging(patch: .object(["key": .string(key)]))), version: 1),
                created: true, event: ChangeEvent(objectType: "api_key", action: "created", before: nil, after: document))
            // A replay shows the key's record, never its secret again.
            written.replayDocument = Document(json: json, version: 1)
            return written
        }
    }

    public func apiKey(id: UUID) async throws -> String {
        let rows = try await read { connection in
            try await connection.query("SELECT api_key_doc(k)::text FROM api_keys k WHERE k.id = \(id)", logger: logger)
                .decode(String.self).all()
        }
        guard let json = rows.first else { throw Problem.notFound("API key \(id.text)") }
        return json
    }

    public func apiKeys(_ request: ListRequest) async throws -> Page {
        if let name = request.filters.keys.sorted().first ?? (request.query != nil ? "q" : nil) {
            throw Problem.invalid(field: name, "API keys take only limit and after")
        }
        return try await page(SQLComposer("SELECT api_key_doc(k)::text, k.id FROM api_keys k WHERE true"), after: request.after, limit: request.limit, key: "k.id")
    }

    /// Revokes a key: from the commit on, no instance accepts it.
    public func revokeApiKey(id: UUID, actor: WriteActor) async throws {
        _ = try await write(actor) { connection in
            let rows = try await connection.query(
                "SELECT api_key_doc(k)::text FROM api_keys k WHERE k.id = \(id) FOR UPDATE", logger: logger
            ).decode(String.self).all()
            guard let json = rows.first else { throw Problem.notFound("API key \(id.text)") }
            let after = try await connection.query(
                """
                UPDATE api_keys k SET revoked_at = coalesce(revoked_at, now()) WHERE k.id = \(id) RETURNING api_key_doc(k)::text
                """, logger: logger
            ).decode(String.self).all()
            let event = ChangeEvent(
                objectType: "api_key", action: "revoked", before: try JSONValue.parse(Data(json.utf8)),
                after: try JSONValue.parse(Data(after[0].utf8)), changesAccess: true)
            return Written(id: id, document: nil, event: event)
        }
    }
}
