import ChanjiaoDomain
import Foundation
import Synchronization

/// Recently resolved bearer tokens, so a burst of requests costs one session lookup, not one
/// each. Entries live `lifetime` at most; a logout on this instance removes its entry at once,
/// one on another instance is honoured here within `lifetime`.
final class SessionCache: Sendable {
    private struct Entry {
        let caller: Caller
        let until: ContinuousClock.Instant
    }

    private let entries = Mutex<[Data: Entry]>([:])
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration = .seconds(5), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func caller(_ tokenHash: Data) -> Caller? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[tokenHash] else { return nil }
            if entry.until < now {
                entries.removeValue(forKey: tokenHash)
                return nil
            }
            return entry.caller
        }
    }

    func remember(_ caller: Caller, for tokenHash: Data) {
        let until = ContinuousClock.now + lifetime
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[tokenHash] = Entry(caller: caller, until: until)
        }
    }

    func forget(_ tokenHash: Data) {
        _ = entries.withLock { $0.removeValue(forKey: tokenHash) }
    }
}
