import ChanjiaoDomain
import Foundation
import PostgresNIO

/// A delivery ready to send, read when its job runs.
public struct WebhookMessage: Sendable {
    public var deliveryID: UUID
    public var webhookID: UUID
    public var url: String
    /// The secrets that sign it: the current one, and the one before it for a day after a rotation.
    public var secrets: [String]
    /// `webhook-id`: the same on every attempt, so receivers can drop duplicates.
    public var messageID: String
    public var body: String
}

/// What one attempt came to.
public struct WebhookAttempt: Sendable {
    public var responseCode: Int?
    public var latencyMilliseconds: Int
    public var error: String?

    public init(responseCode: Int?, latencyMilliseconds: Int, error: String?) {
        self.responseCode = responseCode
        self.latencyMilliseconds = latencyMilliseconds
        self.error = error
    }

    var succeeded: Bool { responseCode.map { (200..<300).contains($0) } ?? false }
}

/// From the feed to the receivers: the fan-out makes one delivery (and one job) per
/// subscription and event, the deliverer's attempts are recorded here with their outcome.
extension Store {
    /// A subscription that keeps failing this long is disabled.
    static let failingLimit = "5 days"

    /// Turns new feed events into deliveries for every active subscription with events after
    /// its cursor, each in its own transaction; a subscription another instance is fanning out
    /// is skipped (`SKIP LOCKED`). Returns how many events it took past the cursors (an event
    /// delivered already counts too).
    public func fanOutWebhooks(batch: Int = 200) async throws -> Int {
        // Every write wakes every instance: subscriptions that are up to date cost one index probe.
        let ids = try await read { connection in
            try await connection.query(
                """
                SELECT w.id FROM webhooks w WHERE w.status = 'active'
                  AND EXISTS (SELECT 1 FROM outbox_events o WHERE (o.xid, o.id) > (w.cursor_xid, w.cursor_id))
                ORDER BY w.id
                """, logger: logger
            ).decode(UUID.self).all()
        }
        var total = 0
        for id in ids {
            do {
                total += try await fanOut(webhook: id, batch: batch)
            } catch let problem as Problem where problem.kind == .conflict {
                // Changed by another transaction meanwhile (an enable, a rotation): next round.
                logger.debug("webhook fan-out deferred", metadata: ["webhook": "\(id)"])
            }
        }
        return total
    }

    /// One subscription's next events, as its owner may see them, in one snapshot: the
    /// deliveries, their jobs and the new cursor commit together, so no event is delivered
    /// twice by the fan-out or skipped.
    private func fanOut(webhook id: UUID, batch: Int) async throws -> Int {
        // How many events the page held; nil when the owner can no longer see anything.
        let made = try await repeatableTransaction { connection -> Int? in
            let rows = try await connection.query(
                """
                SELECT cursor_xid::text, cursor_id, events, owner_account_id, owner_api_key_id FROM webhooks
                WHERE id = \(id) AND status = 'active' FOR UPDATE SKIP LOCKED
                """, logger: logger
            ).decode((String, Int64, [String], UUID?, UUID?).self).all()
            guard let (xid, cursorID, events, account, key) = rows.first else { return 0 }
            guard let owner = try await standingCaller(accountID: account, apiKeyID: key, on: connection) else { return nil }
            let cursor = FeedCursor(xid: UInt64(xid) ?? 0, id: cursorID)
            let page = try await feedPage(FeedRequest(after: cursor, limit: batch, types: events), caller: owner, on: connection)
            if !page.events.isEmpty {
                let bodies = page.events.map(\.webhookBody)
                let made = try await connection.query(
                    """
                    INSERT INTO webhook_deliveries (webhook_id, event_id, type, body, next_attempt_at)
                    SELECT \(id), e, t, b, now() FROM unnest(\(page.events.map(\.cursor.id))::bigint[],
                           \(page.events.map(\.type))::text[], \(bodies)::text[]) AS u(e, t, b)
                    ON CONFLICT (webhook_id, event_id) DO NOTHING RETURNING id
                    """, logger: logger
                ).decode(UUID.self).all()
                try await enqueue(.webhookDelivery, subjects: made, on: connection)
            }
            if page.next != cursor {
                try await connection.query(
                    "UPDATE webhooks SET cursor_xid = \(String(page.next.xid))::xid8, cursor_id = \(page.next.id) WHERE id = \(id)",
                    logger: logger)
            }
            return page.events.count
        }
        guard let made else {
            try await disableWebhook(id, reason: "its owner's API key was revoked or account disabled")
            return 0
        }
        return made
    }

    /// The delivery to send now; nil when there is nothing to send: it is gone, no longer
    /// pending, or its subscription is not active (a disable pauses its pending deliveries).
    public func webhookMessage(delivery id: UUID) async throws -> WebhookMessage? {
        let rows = try await read { connection in
            try await connection.query(
                """
                SELECT d.status, w.status, d.webhook_id, w.url, w.secret,
                       CASE WHEN w.previous_secret_until > now() THEN w.previous_secret END, d.body,
                       webhook_delivery_doc(d)->>'message_id'
                FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.id = \(id)
                """, logger: logger
            ).decode((String, String, UUID, String, String, String?, String, String).self).all()
        }
        guard let (status, webhookStatus, webhook, url, secret, previous, body, messageID) = rows.first,
            status == "pending", webhookStatus == "active"
        else { return nil }
        return WebhookMessage(
            deliveryID: id, webhookID: webhook, url: url, secrets: [secret] + (previous.map { [$0] } ?? []), messageID: messageID, body: body)
    }

    /// Records an attempt and decides what follows: done on a 2xx; the next try of the
    /// `round`-th attempt's schedule otherwise, or failed when the schedule is spent. A 410, or
    /// failures for five days, disable the subscription (its pending deliveries pause).
    public func recordWebhookAttempt(
        _ message: WebhookMessage, _ attempt: WebhookAttempt, round: Int, schedule: RetrySchedule, instance: String
    ) async throws -> JobOutcome {
        let wait = attempt.succeeded ? nil : schedule.wait(after: round)
        let (outcome, disable) = try await transaction { connection -> (JobOutcome, String?) in
            // Locked first, as a disable locks it: a delivery never stays pending without its job.
            let webhookStatus = try await connection.query(
                "SELECT status FROM webhooks WHERE id = \(message.webhookID) FOR UPDATE", logger: logger
            ).decode(String.self).all().first
            try await connection.query(
                """
                INSERT INTO webhook_attempts (delivery_id, response_code, latency_ms, error, instance)
                VALUES (\(message.deliveryID), \(attempt.responseCode), \(attempt.latencyMilliseconds), \(attempt.error), \(instance))
                """, logger: logger)
            let failingTooLong: Bool
            if attempt.succeeded {
                try await connection.query("UPDATE webhooks SET failing_since = NULL WHERE id = \(message.webhookID)", logger: logger)
                failingTooLong = false
            } else {
                failingTooLong = try await connection.query(
                    """
                    UPDATE webhooks SET failing_since = coalesce(failing_since, now()) WHERE id = \(message.webhookID)
                    RETURNING failing_since < now() - interval '\(unescaped: Self.failingLimit)'
                    """, logger: logger
                ).decode(Bool.self).all().first ?? false
            }
            let gone = attempt.responseCode == 410
            let status: String
            var retryAt: Date?
            if attempt.succeeded {
                status = "succeeded"
            } else if gone || failingTooLong || webhookStatus != "active" {
                status = "paused"
            } else if let wait {
                status = "pending"
                retryAt = Date().addingTimeInterval(wait)
            } else {
                status = "failed"
            }
            try await connection.query(
                """
                UPDATE webhook_deliveries SET status = \(status), attempts = attempts + 1, next_attempt_at = \(retryAt),
                    last_response_code = \(attempt.responseCode), last_latency_ms = \(attempt.latencyMilliseconds),
                    last_error = \(attempt.error), finished_at = CASE WHEN \(status) IN ('succeeded', 'failed') THEN now() END
                WHERE id = \(message.deliveryID)
                """, logger: logger)
            guard webhookStatus == "active" else { return (.finished, nil) }
            let reason =
                gone ? "the receiver answered 410 Gone"
                : failingTooLong ? "every delivery has failed for \(Self.failingLimit) (the last: \(attempt.error ?? "HTTP \(attempt.responseCode ?? 0)"))"
                : nil
            return (retryAt.map { .retry(at: $0) } ?? .finished, reason)
        }
        if let disable { try await disableWebhook(message.webhookID, reason: disable) }
        return outcome
    }

    /// Disables a subscription by itself (no request behind it), with the reason its owner
    /// sees; its pending deliveries pause until it is enabled.
    func disableWebhook(_ id: UUID, reason: String) async throws {
        _ = try await write(.system) { connection in
            let before = try await lockWebhook(id, caller: .system, on: connection)
            let json = try await connection.query(
                """
                UPDATE webhooks w SET status = 'disabled', disabled_reason = \(reason), disabled_at = now()
                WHERE id = \(id) RETURNING webhook_doc(w)::text
                """, logger: logger
            ).decode(String.self).all()[0]
            try await connection.query(
                """
                WITH paused AS (
                    UPDATE webhook_deliveries SET status = 'paused', next_attempt_at = NULL
                    WHERE webhook_id = \(id) AND status = 'pending' RETURNING id)
                DELETE FROM jobs WHERE kind = 'webhook_delivery' AND subject IN (SELECT id FROM paused)
                """, logger: logger)
            return try Self.webhookWritten(id, json: json, action: "disabled", before: before)
        }
    }
}
