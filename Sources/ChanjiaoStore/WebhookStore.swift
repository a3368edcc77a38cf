import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Webhook subscriptions: made by a `webhooks:manage` key or the bureau, seen and changed by
/// their owner (and the bureau), fed from the change feed as their owner may see it.
extension Store {
    /// `$5`: the calling key's id. The bureau sees every subscription; a key its own.
    private static let webhookVisible = "($1 = 'bureau' OR w.owner_api_key_id = $5)"

    private static func webhookSQL(_ caller: Caller, _ sql: String) -> SQLComposer {
        var composer = SQLComposer(caller: caller)
        _ = composer.bind(caller.isAPIKey ? caller.credential.id ?? UUID.zero : UUID.zero)
        composer.append(sql)
        return composer
    }

    /// `{…, secret}`: the secret is shown in this answer only. Events after the subscription
    /// are delivered; the cursor starts at the feed's horizon, before every event not yet final.
    public func createWebhook(_ input: WebhookInput, actor: WriteActor) async throws -> WriteOutcome {
        let secret = WebhookSigning.newSecret()
        let caller = actor.caller
        return try await write(actor) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO webhooks AS w (url, events, secret, owner_account_id, owner_api_key_id, cursor_xid, cursor_id)
                VALUES (\(input.url.absoluteString), \(input.events), \(secret),
                        \(caller.isAPIKey ? nil : caller.accountID), \(caller.isAPIKey ? caller.credential.id : nil),
                        pg_snapshot_xmin(pg_current_snapshot()), 0)
                RETURNING w.id, webhook_doc(w)::text
                """, logger: logger
            ).decode((UUID, String).self).all()
            let (id, json) = rows[0]
            return try Self.webhookWritten(id, json: json, action: "created", before: nil, secret: secret, created: true)
        }
    }

    public func webhooks(_ request: ListRequest, caller: Caller) async throws -> Page {
        try request.requireNoFilters(of: "webhooks")
        return try await page(
            Self.webhookSQL(caller, "SELECT webhook_doc(w)::text, w.id FROM webhooks w WHERE \(Self.webhookVisible)"),
            after: request.after, limit: request.limit, key: "w.id")
    }

    public func webhook(id: UUID, caller: Caller) async throws -> String {
        try await read { connection in try await self.webhookDocument(id, caller: caller, lock: false, on: connection) }
    }

    /// Removes the subscription with its deliveries and their queued jobs.
    public func deleteWebhook(id: UUID, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            let before = try await lockWebhook(id, caller: actor.caller, on: connection)
            try await connection.query(
                """
                DELETE FROM jobs WHERE kind = 'webhook_delivery'
                  AND subject IN (SELECT id FROM webhook_deliveries WHERE webhook_id = \(id))
                """, logger: logger)
            try await connection.query("DELETE FROM webhooks WHERE id = \(id)", logger: logger)
            return Written(id: id, document: nil, event: ChangeEvent(objectType: "webhook", action: "deleted", before: before, after: nil))
        }
    }

    /// A new secret, shown once; the old one still signs for a day beside it.
    public func rotateWebhookSecret(id: UUID, actor: WriteActor) async throws -> WriteOutcome {
        let secret = WebhookSigning.newSecret()
        return try await write(actor) { connection in
            let before = try await lockWebhook(id, caller: actor.caller, on: connection)
            let json = try await connection.query(
                """
                UPDATE webhooks w SET previous_secret = secret, previous_secret_until = now() + interval '1 day', secret = \(secret)
                WHERE id = \(id) RETURNING webhook_doc(w)::text
                """, logger: logger
            ).decode(String.self).all()[0]
            return try Self.webhookWritten(id, json: json, action: "secret_rotated", before: before, secret: secret)
        }
    }

    /// Turns a disabled subscription on again: its paused deliveries are due now, and the
    /// fan-out resumes at the event where it stopped.
    public func enableWebhook(id: UUID, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            let before = try await lockWebhook(id, caller: actor.caller, on: connection)
            // A subscription whose owner lost its credential would only be disabled again.
            func owner(_ member: String) -> UUID? {
                if case .string(let text)? = before[member] { UUID(uuidString: text) } else { nil }
            }
            if try await standingCaller(accountID: owner("owner_account_id"), apiKeyID: owner("owner_api_key_id"), on: connection) == nil {
                throw Problem.conflict("the webhook's owner (its API key or account) was revoked or disabled; subscribe again with a live credential")
            }
            let json = try await connection.query(
                """
                UPDATE webhooks w SET status = 'active', disabled_reason = NULL, disabled_at = NULL, failing_since = NULL
                WHERE id = \(id) RETURNING webhook_doc(w)::text
                """, logger: logger
            ).decode(String.self).all()[0]
            let paused = try await connection.query(
                """
                UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now()
                WHERE webhook_id = \(id) AND status = 'paused' RETURNING id
                """, logger: logger
            ).decode(UUID.self).all()
            try await enqueue(.webhookDelivery, subjects: paused, on: connection)
            return try Self.webhookWritten(id, json: json, action: "enabled", before: before)
        }
    }

    /// The subscription's deliveries, newest event first, each with its attempts.
    public func webhookDeliveries(webhookID: UUID, _ request: ListRequest, caller: Caller) async throws -> Page {
        try request.requireNoFilters(of: "deliveries")
        _ = try await webhook(id: webhookID, caller: caller)
        var sql = SQLComposer("SELECT webhook_delivery_doc(d)::text, d.event_id FROM webhook_deliveries d WHERE d.webhook_id = ")
        sql.append(sql.bind(webhookID))
        return try await page(sql, after: request.after, limit: request.limit, key: "d.event_id", as: Int64.self, descending: true)
    }

    /// Sends one delivery again now, whatever became of it, starting a new round of retries.
    public func retryWebhookDelivery(webhookID: UUID, deliveryID: UUID, actor: WriteActor) async throws -> WriteOutcome {
        try await write(actor) { connection in
            let webhook = try await lockWebhook(webhookID, caller: actor.caller, on: connection)
            if webhook["status"] == .string("disabled") {
                throw Problem.conflict("the webhook is disabled; enable it first (POST /v1/webhooks/\(webhookID.text)/enable)")
            }
            let before = try await connection.query(
                "SELECT webhook_delivery_doc(d)::text FROM webhook_deliveries d WHERE id = \(deliveryID) AND webhook_id = \(webhookID) FOR UPDATE",
                logger: logger
            ).decode(String.self).all()
            guard let old = before.first else { throw Problem.notFound("delivery \(deliveryID.text) of this webhook") }
            // The retries of this round follow the schedule from its start.
            try await restartJob(.webhookDelivery, subject: deliveryID, on: connection)
            let json = try await connection.query(
                """
                UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = now(), finished_at = NULL
                WHERE id = \(deliveryID) RETURNING webhook_delivery_doc(d)::text
                """, logger: logger
            ).decode(String.self).all()[0]
            let event = ChangeEvent(
                objectType: "webhook_delivery", action: "retried", before: try JSONValue.parse(Data(old.utf8)),
                after: try JSONValue.parse(Data(json.utf8)))
            return Written(id: deliveryID, document: Document(json: json, version: 1), event: event)
        }
    }

    /// The subscription's document, locked, when the caller may see it; 404 otherwise.
    func lockWebhook(_ id: UUID, caller: Caller, on connection: PostgresConnection) async throws -> JSONValue {
        try JSONValue.parse(Data(try await webhookDocument(id, caller: caller, lock: true, on: connection).utf8))
    }

    /// A subscription's document if the caller may see it, else a 404.
    private func webhookDocument(_ id: UUID, caller: Caller, lock: Bool, on connection: PostgresConnection) async throws -> String {
        var sql = Self.webhookSQL(caller, "SELECT webhook_doc(w)::text FROM webhooks w WHERE \(Self.webhookVisible) AND w.id = ")
        sql.append(sql.bind(id) + (lock ? " FOR UPDATE" : ""))
        guard let json = try await connection.query(sql.query, logger: logger).decode(String.self).all().first else {
            throw Problem.notFound("webhook \(id.text)")
        }
        return json
    }

    /// A subscription's write; with `secret`, the answer shows it once (a replay does not).
    static func webhookWritten(
        _ id: UUID, json: String, action: String, before: JSONValue?, secret: String? = nil, created: Bool = false
    ) throws -> Written {
        let document = try JSONValue.parse(Data(json.utf8))
        var shown = Document(json: json, version: 1)
        if let secret { shown = Document(json: jsonText(document.merging(patch: .object(["secret": .string(secret)]))), version: 1) }
        var written = Written(
            id: id, document: shown, created: created,
            event: ChangeEvent(objectType: "webhook", action: action, before: before, after: document))
        written.replayDocument = Document(json: json, version: 1)
        return written
    }
}
