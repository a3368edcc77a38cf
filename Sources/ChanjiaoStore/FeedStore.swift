import ChanjiaoDomain
import Foundation
import PostgresNIO

/// Where a feed consumer stands: the writing transaction's id and the row's id of the last
/// event it has seen. Rows are read in this order, and only those whose transaction is below
/// the oldest one still running (`pg_snapshot_xmin`): nothing can later appear before them, so
/// a consumer paging by cursor sees every committed event once, in order, never skipping one,
/// even when transactions commit out of the order of their sequence numbers.
public struct FeedCursor: Sendable, Equatable {
    public var xid: UInt64
    public var id: Int64

    public static let start = FeedCursor(xid: 0, id: 0)

    public init(xid: UInt64, id: Int64) {
        self.xid = xid
        self.id = id
    }

    /// The opaque text a consumer sends back as `after`; nil when it is not one of ours.
    public init?(_ text: String) {
        guard let key = Cursor.decode(text) else { return nil }
        let parts = key.split(separator: ".")
        guard parts.count == 2, let xid = UInt64(parts[0]), let id = Int64(parts[1]), id >= 0 else { return nil }
        self.init(xid: xid, id: id)
    }

    public var text: String { Cursor.encode("\(xid).\(id)") }
}

/// `GET /v1/changes`: a page of the outbox as the caller may see it.
public struct FeedRequest: Sendable {
    public var after: FeedCursor
    public var limit: Int
    /// Only these event types; nil: all.
    public var types: [String]?
    /// How long to wait for an event when there is none yet (long poll).
    public var wait: Duration

    public init(after: FeedCursor = .start, limit: Int = 50, types: [String]? = nil, wait: Duration = .zero) {
        self.after = after
        self.limit = limit
        self.types = types
        self.wait = wait
    }
}

extension Store {
    /// Announced by a trigger (`sql/0012`) whenever outbox rows are written: waiting polls wake.
    static let feedChannel = "outbox_changes"

    /// Which events the caller may see (`$1` role, `$2` organization, `$4` source): the bureau
    /// all; viewers all but talents'; a partner key the public records', its college's, and its
    /// source's talents'. A record's event is public when the record is public after it, or was
    /// before it (its previous event was public): a partner that was shown a record learns when
    /// it is withdrawn (archived, closed, its owner suspended). A record's events are in `id`
    /// order, since its writers hold its row lock while they append them.
    static let feedVisible = """
        ($1 = 'bureau' OR ($1 = 'viewer' AND o.resource_type <> 'talent')
         OR ($1 = 'key' AND ((o.resource_type <> 'talent'
                              AND (o.is_public OR coalesce((SELECT p.is_public FROM outbox_events p
                                    WHERE p.resource_type = o.resource_type AND p.resource_id = o.resource_id AND p.id < o.id
                                    ORDER BY p.id DESC LIMIT 1), false)))
                             OR o.organization_id = $2 OR (o.resource_type = 'talent' AND o.source = $4))))
        """

    /// An event's data as the caller may see it. The outbox holds an enterprise's or a college's
    /// whole document (address, contact); a caller that `GET` would show less (the rule of
    /// `Resource.detailed`) sees only the members of the public document
    /// (`enterprise_doc(…, false)`; each list is worked out once per query).
    static let feedData = """
        CASE WHEN o.resource_type IN ('enterprise', 'college')
                  AND NOT \(Resource.organizationDetailed(id: "o.organization_id", regionCode: "o.region_code"))
             THEN coalesce((SELECT jsonb_object_agg(d.key, d.value) FROM jsonb_each(o.data) AS d
                            WHERE d.key = ANY(CASE o.resource_type
                                WHEN 'enterprise' THEN ARRAY(SELECT json_object_keys(enterprise_doc(NULL::enterprises, false)))
                                ELSE ARRAY(SELECT json_object_keys(college_doc(NULL::colleges, false))) END)), '{}'::jsonb)::text
             ELSE o.data::text END
        """

    /// `{items: [{cursor, type, resource_id, occurred_at, data}], next_cursor}`: the next events
    /// after the cursor; when there are none and the request may wait, the first that comes
    /// within `wait` (woken by `outbox_changes`, not by polling). `next_cursor` is always
    /// resumable: the last item's, or past every final event the caller may not see.
    public func changes(_ request: FeedRequest, caller: Caller) async throws -> String {
        let deadline = ContinuousClock.now + request.wait
        while true {
            let generation = feedWaiters.generation
            let page = try await feedPage(request, caller: caller)
            let now = ContinuousClock.now
            if !page.items.isEmpty || now >= deadline {
                return "{\"items\":[" + page.items.joined(separator: ",") + "],\"next_cursor\":\"\(page.next.text)\"}"
            }
            if page.pending {
                // Committed, but an older transaction (of any database of the cluster) still
                // runs: the events become final when it ends, which no notice announces.
                try await Task.sleep(for: min(.milliseconds(50), deadline - now))
            } else {
                await feedWaiters.wait(after: generation, timeout: deadline - now)
            }
            if Task.isCancelled { throw CancellationError() }
        }
    }

    /// The page, the cursor after it, and whether committed events after the cursor wait for
    /// the horizon (an older transaction still running); in one snapshot, so the cursor never
    /// passes an event the page did not consider.
    private func feedPage(_ request: FeedRequest, caller: Caller) async throws -> (items: [String], next: FeedCursor, pending: Bool) {
        let page = try await snapshot { connection in try await feedPage(request, caller: caller, on: connection) }
        return (page.events.map(\.json), page.next, page.pending)
    }

    /// The same on a connection whose transaction holds one snapshot (REPEATABLE READ).
    func feedPage(_ request: FeedRequest, caller: Caller, on connection: PostgresConnection) async throws -> FeedPage {
        var sql = SQLComposer(caller: caller)
        sql.append(
            """
            SELECT o.xid::text, o.id, o.type, o.resource_id, utc_iso(o.occurred_at), \(Self.feedData)
            FROM outbox_events o
            WHERE o.xid < pg_snapshot_xmin(pg_current_snapshot())
              AND (o.xid, o.id) > (\(sql.bind(String(request.after.xid)))::xid8, \(sql.bind(request.after.id)))
              AND \(Self.feedVisible)
            """)
        if let types = request.types { sql.append(" AND o.type = ANY(\(sql.bind(types)))") }
        sql.append(" ORDER BY o.xid, o.id LIMIT \(sql.bind(request.limit))")
        let rows = try await connection.query(sql.query, logger: logger)
            .decode((String, Int64, String, UUID, String, String).self).all()
        var events: [FeedEvent] = []
        var next = request.after
        for (xid, id, type, resource, occurredAt, data) in rows {
            next = FeedCursor(xid: UInt64(xid) ?? 0, id: id)
            events.append(FeedEvent(cursor: next, type: type, resourceID: resource, occurredAt: occurredAt, data: data))
        }
        var pending = false
        if rows.count < request.limit {
            // Every final event after the cursor was considered: skip past those not shown.
            let last = try await connection.query(
                """
                SELECT o.xid::text, o.id FROM outbox_events o WHERE o.xid < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY o.xid DESC, o.id DESC LIMIT 1
                """, logger: logger
            ).decode((String, Int64).self).all()
            if let (xid, id) = last.first {
                let horizon = FeedCursor(xid: UInt64(xid) ?? 0, id: id)
                if (horizon.xid, horizon.id) > (next.xid, next.id) { next = horizon }
            }
            if events.isEmpty {
                pending = try await connection.query(
                    "SELECT EXISTS (SELECT 1 FROM outbox_events o WHERE o.xid >= pg_snapshot_xmin(pg_current_snapshot()))",
                    logger: logger
                ).decode(Bool.self).all().first ?? false
            }
        }
        return FeedPage(events: events, next: next, pending: pending)
    }
}

/// One event as the feed shows it.
struct FeedEvent: Sendable {
    var cursor: FeedCursor
    var type: String
    var resourceID: UUID
    var occurredAt: String
    /// The record's document (JSON), as the outbox row keeps it.
    var data: String

    /// `{cursor, type, resource_id, occurred_at, data}`.
    var json: String {
        "{\"cursor\":\"\(cursor.text)\",\"type\":\"\(type)\",\"resource_id\":\"\(resourceID.text)\","
            + "\"occurred_at\":\"\(occurredAt)\",\"data\":\(data)}"
    }

    /// A webhook's payload (Standard Webhooks): `{type, timestamp, cursor, resource_id, data}`.
    var webhookBody: String {
        "{\"type\":\"\(type)\",\"timestamp\":\"\(occurredAt)\",\"cursor\":\"\(cursor.text)\","
            + "\"resource_id\":\"\(resourceID.text)\",\"data\":\(data)}"
    }
}

/// A page of events, the cursor after it, and whether events wait for the horizon.
struct FeedPage: Sendable {
    var events: [FeedEvent]
    var next: FeedCursor
    var pending: Bool
}
