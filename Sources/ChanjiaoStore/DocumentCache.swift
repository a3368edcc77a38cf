import ChanjiaoDomain
import Foundation
import Synchronization

/// Results kept in memory so hot reads skip the database: resolved credentials
/// (`SessionCache`), single public documents, anonymous first pages of their lists, the
/// scoreboard and the overview.
///
/// Correctness rests on one rule: a change removes its key *after* it commits and bumps
/// `epoch`; a reader notes `epoch` before it queries and stores its result only if no change
/// happened meanwhile. So the cache never keeps a result older than the last change it was
/// told about. Changes are told by this instance's writes at once and by other instances'
/// through notices (within milliseconds). A cache that `needsListener` keeps nothing while
/// its notices are not being heard.
final class EpochCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var values: [Key: Value] = [:]
        var epoch: UInt64 = 0
        var listening: Bool
    }

    private let state: Mutex<State>
    let capacity: Int

    init(capacity: Int, needsListener: Bool = false) {
        self.capacity = capacity
        state = Mutex(State(listening: !needsListener))
    }

    var epoch: UInt64 { state.withLock { $0.epoch } }

    func value(_ key: Key) -> Value? { state.withLock { $0.values[key] } }

    /// Keeps `value` unless something changed since `epoch` was read.
    func remember(_ value: Value, _ key: Key, readAt epoch: UInt64) {
        state.withLock { state in
            guard state.listening, state.epoch == epoch else { return }
            if state.values.count >= capacity { state.values.removeAll(keepingCapacity: true) }
            state.values[key] = value
        }
    }

    func invalidate(_ key: Key) {
        state.withLock { state in
            state.epoch &+= 1
            state.values.removeValue(forKey: key)
        }
    }

    func invalidateAll() {
        state.withLock { state in
            state.epoch &+= 1
            state.values.removeAll()
        }
    }

    /// Whether changes are being heard; while not, nothing is kept.
    func setListening(_ listening: Bool) {
        state.withLock { state in
            state.listening = listening
            state.epoch &+= 1
            state.values.removeAll()
        }
    }
}

/// A published program's or open demand's document, the same for every caller who may see it.
struct DocumentKey: Hashable, Sendable {
    let resource: Resource
    let id: UUID
}

typealias DocumentCache = EpochCache<DocumentKey, Document>

extension EpochCache where Key == DocumentKey, Value == Document {
    convenience init() { self.init(capacity: 50_000) }

    static func caches(_ resource: Resource) -> Bool { resource == .programs || resource == .demands }

    func document(_ resource: Resource, _ id: UUID) -> Document? { value(DocumentKey(resource: resource, id: id)) }

    func remember(_ document: Document, _ resource: Resource, _ id: UUID, readAt epoch: UInt64) {
        remember(document, DocumentKey(resource: resource, id: id), readAt: epoch)
    }

    func invalidate(_ resource: Resource, _ id: UUID) { invalidate(DocumentKey(resource: resource, id: id)) }
}

/// An anonymous caller's first page of programs or demands: the same for every such caller
/// with the same parameters. Any change to a record of the kind can change any page, so a
/// change forgets them all.
struct PublicPageKey: Hashable, Sendable {
    let resource: Resource
    let limit: Int
    let filters: [String: String]
    let query: String?
    let archived: Bool

    /// The key of `request`, when its answer is such a page.
    init?(_ resource: Resource, _ request: ListRequest, caller: Caller) {
        guard DocumentCache.caches(resource), !caller.isSignedIn, request.after == nil else { return nil }
        self.resource = resource
        limit = request.limit
        filters = request.filters
        query = request.query
        archived = request.archived
    }
}

typealias PageCache = EpochCache<PublicPageKey, Page>
