import ChanjiaoDomain
import Foundation
import Synchronization

/// Recently resolved bearer credentials, so a burst of requests costs one lookup, not one each.
///
/// A revocation anywhere (logout, disable, reset, a deleted key, an organization's new status)
/// is announced on `access_changes`, and every instance then empties its cache, so it takes
/// effect everywhere within the notice's delivery (milliseconds). The cache is trusted only
/// while this instance is listening (`listening`); without a listener every request looks its
/// credential up. An `epoch` keeps a lookup that raced with a revocation from being cached.
final class SessionCache: Sendable {
    private struct Entry {
        let caller: Caller
        let until: ContinuousClock.Instant
        /// When the credential itself expires (sessions), on the store's clock.
        let expiresAt: Date?
    }

    private struct State {
        var entries: [Data: Entry] = [:]
        var epoch: UInt64 = 0
        var listening = false
    }

    private let state = Mutex(State())
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration = .seconds(30), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    var epoch: UInt64 { state.withLock { $0.epoch } }

    func caller(_ tokenHash: Data, at date: Date) -> Caller? {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard state.listening, let entry = state.entries[tokenHash] else { return nil }
            if entry.until < now || entry.expiresAt.map({ $0 <= date }) == true {
                state.entries.removeValue(forKey: tokenHash)
                return nil
            }
            return entry.caller
        }
    }

    /// Keeps `caller` unless the cache was emptied since `epoch` was read.
    func remember(_ caller: Caller, for tokenHash: Data, expiresAt: Date?, readAt epoch: UInt64) {
        let until = ContinuousClock.now + lifetime
        state.withLock { state in
            guard state.listening, state.epoch == epoch else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[tokenHash] = Entry(caller: caller, until: until, expiresAt: expiresAt)
        }
    }

    /// Drops every entry: a credential, an account or an organization changed somewhere.
    func removeAll() {
        state.withLock { state in
            state.epoch &+= 1
            state.entries.removeAll()
        }
    }

    /// Whether revocations reach this instance; while they may not, nothing is cached.
    func setListening(_ listening: Bool) {
        state.withLock { state in
            state.listening = listening
            state.epoch &+= 1
            state.entries.removeAll()
        }
    }
}
