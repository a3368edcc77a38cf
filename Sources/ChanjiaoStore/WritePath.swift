import ChanjiaoDomain
import Crypto
import Foundation
import PostgresNIO

/// Who is writing, and how the request wants its answer kept: what every write needs besides
/// the change itself.
public struct WriteActor: Sendable {
    public var caller: Caller
    public var requestID: String?
    public var idempotency: IdempotencyRequest?

    public init(caller: Caller, requestID: String? = nil, idempotency: IdempotencyRequest? = nil) {
        self.caller = caller
        self.requestID = requestID
        self.idempotency = idempotency
    }

    /// Seeders and start-up work: the bureau, with no request behind it.
    public static let system = WriteActor(caller: .system)
}

/// A creating request's `Idempotency-Key`, and the shape of the response to keep under it.
public struct IdempotencyRequest: Sendable {
    /// The account the key belongs to, `key:` and an API key's id, or `anonymous:` and the
    /// request's hash.
    public var scope: String
    public var key: String
    public var requestHash: Data
    public var status: Int
    /// The `Location` of the created record, before its id.
    public var locationPrefix: String?
    /// The body's passwords (canonical JSON), left out of `requestHash`; kept only as a bcrypt
    /// hash.
    public var secrets: String?

    public init(scope: String, key: String, requestHash: Data, status: Int, locationPrefix: String?, secrets: String? = nil) {
        self.scope = scope
        self.key = key
        self.requestHash = requestHash
        self.status = status
        self.locationPrefix = locationPrefix
        self.secrets = secrets
    }

    /// Keys are remembered for a day.
    public static let lifetime: TimeInterval = 24 * 3600
}

/// What a write did: the record's id and document (nil when it is gone or the answer is
/// empty), for the response, and the event the write path records.
public struct Written: Sendable {
    public var id: UUID
    public var document: Document?
    public var created: Bool
    var event: ChangeEvent
    /// What a replay under the same `Idempotency-Key` shows, when it must differ from the
    /// first answer (an API key's secret is shown once).
    var replayDocument: Document?

    init(id: UUID, document: Document?, created: Bool = false, event: ChangeEvent) {
        self.id = id
        self.document = document
        self.created = created
        self.event = event
    }
}

/// The outcome of a write: done now, or an earlier identical request's response replayed.
public enum WriteOutcome: Sendable {
    case written(Written)
    case replayed(StoredResponse)

    /// The write's result, for callers that send no idempotency key (seeders, tests).
    public var written: Written {
        get throws {
            guard case .written(let written) = self else { throw Problem.conflict("the request was replayed") }
            return written
        }
    }
}

/// One change, as the audit log and the outbox record it.
struct ChangeEvent: Sendable {
    /// `enterprise`, `account`, … (the audit's `object_type`; the singular of a feed kind).
    var objectType: String
    /// `created`, `verified`, … (the audit's action; the feed's event is `<objectType>.<action>`).
    var action: String
    var before: JSONValue?
    var after: JSONValue?
    /// Members added to the audit's `after` (e.g. the first account of a registration).
    var auditExtra: [String: JSONValue] = [:]
    /// The feed kind and whether the record is public after the change; nil: not in the feed.
    var feed: (kind: FeedKind, isPublic: Bool)?
    /// Whether callers resolved from credentials may have changed (an account, a key, an
    /// organization's status): every instance drops its session cache.
    var changesAccess = false
    /// Other records of the feed's kinds the change altered (an organization's programs or
    /// demand, public or not with it): each gets its own `<singular>.updated` outbox row.
    var related: [RelatedChange] = []
    /// Other objects the same write created or moved (an approval's certification and
    /// reward): each gets its own audit row and outbox row.
    var followUps: [FollowUp] = []
    /// The kinds of records the write changed in bulk (an import's upserts), whose audit and
    /// outbox rows its own statements wrote (`appendRecording`): after the commit only the
    /// caches must learn of them.
    var bulk: [Resource] = []
}

/// Another object's change within the same write.
struct FollowUp: Sendable {
    var id: UUID
    var event: ChangeEvent
}

/// What the change feed carries: the registry's records and the workflows' (cooperations,
/// applications, certifications, rewards).
enum FeedKind: Sendable, Equatable {
    case registry(Resource)
    case cooperation, application, certification, reward

    var singular: String {
        switch self {
        case .registry(let resource): resource.singular
        case .cooperation: "cooperation"
        case .application: "application"
        case .certification: "certification"
        case .reward: "reward"
        }
    }
}

/// A record another write altered along the way, as its outbox row needs it.
struct RelatedChange: Sendable {
    var resource: Resource
    var id: UUID
    var after: JSONValue
    var isPublic: Bool
}

/// A written row as the write statements return it: document, version, and whether everyone
/// may see it now.
struct WrittenRow: Sendable {
    var json: String
    var version: Int
    var isPublic: Bool

    var document: Document { Document(json: json, version: version) }
    var value: JSONValue { get throws { try JSONValue.parse(Data(json.utf8)) } }
}

extension Resource {
    /// What a write statement returns: the whole document (writers are the owner or the
    /// bureau, who see it all), its version, and whether it is public.
    var returning: String { "\(writtenDocument("r"))::text, r.version, \(isPublic)" }

    /// The whole document of the row named `row`, as writers see it.
    func writtenDocument(_ row: String) -> String {
        switch self {
        case .enterprises: "enterprise_doc(\(row), true)"
        case .colleges: "college_doc(\(row), true)"
        case .programs: "program_doc(\(row))"
        case .demands: "demand_doc(\(row))"
        case .talents: "talent_doc(\(row), false)"
        }
    }
}

extension Written {
    /// A registry record written by `action`: its audit row and its outbox row.
    static func record(
        _ resource: Resource, action: String, before: JSONValue?, row: WrittenRow, created: Bool = false
    ) throws -> Written {
        let after = try row.value
        guard case .string(let text)? = after["id"], let id = UUID(uuidString: text) else { throw Problem.badRequest("record without id") }
        let event = ChangeEvent(
            objectType: resource.singular, action: action, before: before, after: after, feed: (.registry(resource), row.isPublic),
            changesAccess: (resource == .enterprises || resource == .colleges) && before != nil && before?["status"] != after["status"])
        return Written(id: id, document: row.document, created: created, event: event)
    }
}

extension Store {
    /// The one way anything is written. Inside a single transaction: the idempotency claim
    /// (a concurrent duplicate waits here for the first to commit, then gets its response),
    /// `body` (which locks, checks visibility, permission and `If-Match`, and applies the
    /// change), the audit row, the outbox row, and the response kept under the key. After the
    /// commit, caches learn of the change.
    public func write(
        _ actor: WriteActor, _ body: @escaping @Sendable (PostgresConnection) async throws -> Written
    ) async throws -> WriteOutcome {
        try await write(actor) { connection, _ in try await body(connection) }
    }

    /// The same, for a body that stamps rows itself (an import's records' events): `now` is the
    /// write's time, which its own audit and outbox rows carry.
    func write(
        _ actor: WriteActor, _ body: @escaping @Sendable (PostgresConnection, Date) async throws -> Written
    ) async throws -> WriteOutcome {
        let now = clock.now()
        // Hashed before the transaction: bcrypt takes a while.
        var secretHash: String?
        if let secrets = actor.idempotency?.secrets { secretHash = try await Self.hashPassword(secrets) }
        let outcome = try await transaction { [secretHash] connection in
            if let idempotency = actor.idempotency,
                let stored = try await claim(idempotency, secretHash: secretHash, now: now, on: connection)
            {
                return WriteOutcome.replayed(stored)
            }
            let written = try await body(connection, now)
            try await record(written, actor: actor, now: now, on: connection)
            if let idempotency = actor.idempotency {
                try await keep(idempotency, written, on: connection)
            }
            return .written(written)
        }
        if case .written(let written) = outcome { afterCommit(written.event, id: written.id) }
        return outcome
    }

    /// Appends the audit row and, for the feed's kinds, the outbox row; the same for each
    /// follow-up.
    private func record(_ written: Written, actor: WriteActor, now: Date, on connection: PostgresConnection) async throws {
        try await record(written.event, id: written.id, actor: actor, now: now, on: connection)
        for followUp in written.event.followUps {
            try await record(followUp.event, id: followUp.id, actor: actor, now: now, on: connection)
        }
    }

    private func record(_ event: ChangeEvent, id: UUID, actor: WriteActor, now: Date, on connection: PostgresConnection) async throws {
        let caller = actor.caller
        let (before, projected) = AuditRecord.project(event.objectType, before: event.before, after: event.after)
        let after = event.auditExtra.isEmpty ? projected : (projected ?? .object([:])).merging(patch: .object(event.auditExtra))
        try await connection.query(
            """
            INSERT INTO audit_events (occurred_at, account_id, username, role, credential_kind, credential_id, action,
                                      object_type, object_id, request_id, before, after)
            VALUES (\(now), \(caller.accountID), \(caller.username), \(caller.role?.rawValue), \(caller.credential.kind),
                    \(caller.credential.id), \(event.action), \(event.objectType), \(id), \(actor.requestID),
                    \(before.map(Self.jsonText))::jsonb, \(after.map(Self.jsonText))::jsonb)
            """, logger: logger)
        if let (kind, isPublic) = event.feed {
            try await appendOutbox(
                kind, id: id, action: event.action, before: event.before, after: event.after,
                isPublic: isPublic && event.after != nil, now: now, on: connection)
        }
        for change in event.related {
            try await appendOutbox(
                .registry(change.resource), id: change.id, action: "updated", before: nil, after: change.after, isPublic: change.isPublic,
                now: now, on: connection)
        }
        if event.changesAccess {
            try await connection.query("SELECT pg_notify(\(Self.accessChannel), '')", logger: logger)
        }
    }

    private func appendOutbox(
        _ kind: FeedKind, id: UUID, action: String, before: JSONValue?, after: JSONValue?, isPublic: Bool, now: Date,
        on connection: PostgresConnection
    ) async throws {
        let feed = FeedRow(kind, id: id, before: before, after: after)
        try await connection.query(
            """
            INSERT INTO outbox_events (type, resource_type, resource_id, occurred_at, data, organization_id,
                                       region_code, source, is_public)
            VALUES (\("\(kind.singular).\(action)"), \(kind.singular), \(id), \(now),
                    \(Self.jsonText(feed.data))::jsonb, \(feed.organizationID), \(feed.regionCode), \(feed.source), \(isPublic))
            """, logger: logger)
    }

    /// This instance's caches, at once; other instances learn through `match_changes`,
    /// `access_changes` and `supervision_changes`.
    private func afterCommit(_ event: ChangeEvent, id: UUID) {
        // Most writes touch what the scoreboard or the overview count; forgetting is cheap.
        supervisionCache.invalidateAll()
        if event.changesAccess {
            sessions.removeAll()
            // An organization's status decides whether its programs and demand are public.
            if event.feed != nil { forgetPublicDocuments() }
        }
        if case .registry(let resource)? = event.feed?.kind { changed(resource, id: id) }
        for change in event.related { changed(change.resource, id: change.id) }
        for followUp in event.followUps {
            if case .registry(let resource)? = followUp.event.feed?.kind { changed(resource, id: followUp.id) }
        }
        // A bulk change forgets the kind's cached documents at once, not once per record (an
        // import changes up to 100,000); its `<table>:*` notice does the same elsewhere.
        for resource in event.bulk where DocumentCache.caches(resource) { forgetPublicDocuments() }
    }

    /// The body of a write of a record keyed by its values (a target, a quota, a policy), which
    /// has no id of its own: `current` reads it locked (no row: it is new), `upsert` inserts or
    /// replaces it; both return its document, the upsert also its version. `expected` is the
    /// request's `If-Match` (412 unless it names the current version). The audit names it by
    /// `objectID(key)`.
    func upserted(
        _ objectType: String, key: [String], expected: Int? = nil, current: PostgresQuery, upsert: PostgresQuery,
        on connection: PostgresConnection
    ) async throws -> Written {
        // Writes of one key wait for each other: a row lock cannot, while the row does not exist,
        // and two writers that both found none would both report creating it (the second's
        // `before` lost). The lock ends with the transaction.
        let lockKey = ([objectType] + key).joined(separator: "/")
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lockKey), 0))", logger: logger)
        let before = try await connection.query(current, logger: logger).decode(String.self).all().first
            .map { try JSONValue.parse(Data($0.utf8)) }
        if let expected {
            let version: Int? = if case .int(let version)? = before?["version"] { version } else { nil }
            if version != expected { throw Problem.stale(current: version) }
        }
        let (json, version) = try await connection.query(upsert, logger: logger).decode((String, Int).self).all()[0]
        let event = ChangeEvent(
            objectType: objectType, action: before == nil ? "created" : "updated",
            before: before, after: try JSONValue.parse(Data(json.utf8)))
        return Written(
            id: Self.objectID([objectType] + key), document: Document(json: json, version: version), created: before == nil, event: event)
    }

    /// A stable id (a name-based UUID) for the audit of a record keyed by its values.
    static func objectID(_ parts: [String]) -> UUID {
        var bytes = Array(SHA256.hash(data: Data(parts.joined(separator: "/").utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    static func jsonText(_ value: JSONValue) -> String { value.text }

    /// The channel on which credentials' changes are announced: every instance drops its
    /// session cache when it hears one.
    static let accessChannel = "access_changes"

    /// The channel on which changes to what the scoreboard and the overview read are announced
    /// (by triggers, `sql/0010`).
    static let supervisionChannel = "supervision_changes"
}

/// An outbox row's payload and what the feed filters on. A talent's row never holds its name
/// or phone; a deleted talent's row holds only its identifiers.
/// Its form in SQL, for records changed in bulk, is in BulkRecording.swift.
struct FeedRow {
    var data: JSONValue
    var organizationID: UUID?
    var regionCode: String?
    var source: String?

    static let personal: Set<String> = ["name", "phone"]

    init(_ kind: FeedKind, id: UUID, before: JSONValue?, after: JSONValue?) {
        let document = after ?? before ?? .object([:])
        func text(_ key: String) -> String? {
            if case .string(let value)? = document[key] { return value }
            return nil
        }
        switch kind {
        case .registry(.enterprises), .registry(.colleges): organizationID = id
        case .registry(.programs): organizationID = text("college_id").flatMap(UUID.init(uuidString:))
        case .registry(.demands), .cooperation, .application, .certification, .reward:
            organizationID = text("enterprise_id").flatMap(UUID.init(uuidString:))
        case .registry(.talents): organizationID = nil
        }
        regionCode = text("region_code")
        source = kind == .registry(.talents) ? text("source") : nil
        guard case .object(var members) = document else {
            data = .object([:])
            return
        }
        if kind == .registry(.talents) {
            if after == nil {
                members = members.filter { ["id", "source", "external_id"].contains($0.key) }
            } else {
                for key in Self.personal { members.removeValue(forKey: key) }
            }
        } else if after == nil {
            members = ["id": .string(id.uuidString.lowercased())]
        }
        data = .object(members)
    }
}
