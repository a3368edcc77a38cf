import Foundation
import Synchronization

/// Documents of published programs and open demand — the same for every caller who may see
/// them — kept in memory so hot reads skip the database.
///
/// Correctness rests on one rule: a change removes its key *after* it commits and bumps
/// `epoch`; a reader notes `epoch` before it queries and stores its result only if no change
/// happened meanwhile. So the cache never keeps a document older than the last change it was
/// told about. Changes are told by this instance's writes at once and by other instances'
/// through the `match_changes` notices (within milliseconds).
final class DocumentCache: Sendable {
    struct Key: Hashable, Sendable {
        let resource: Resource
        let id: UUID
    }

    private struct State {
        var documents: [Key: Document] = [:]
        var epoch: UInt64 = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 50_000) { self.capacity = capacity }

    static func caches(_ resource: Resource) -> Bool { resource == .programs || resource == .demands }

    var epoch: UInt64 { state.withLock { $0.epoch } }

    func document(_ resource: Resource, _ id: UUID) -> Document? {
        state.withLock { $0.documents[Key(resource: resource, id: id)] }
    }

    /// Keeps `document` unless something changed since `epoch` was read.
    func remember(_ document: Document, _ resource: Resource, _ id: UUID, readAt epoch: UInt64) {
        state.withLock { state in
            guard state.epoch == epoch else { return }
            if state.documents.count >= capacity { state.documents.removeAll(keepingCapacity: true) }
            state.documents[Key(resource: resource, id: id)] = document
        }
    }

    func invalidate(_ resource: Resource, _ id: UUID) {
        state.withLock { state in
            state.epoch &+= 1
            state.documents.removeValue(forKey: Key(resource: resource, id: id))
        }
    }

    func invalidateAll() {
        state.withLock { state in
            state.epoch &+= 1
            state.documents.removeAll()
        }
    }
}
