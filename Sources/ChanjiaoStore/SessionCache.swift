import ChanjiaoDomain
import Foundation

/// Recently resolved bearer credentials, so a burst of requests costs one lookup, not one each.
///
/// A revocation anywhere (logout, disable, reset, a deleted key, an organization's new status)
/// is announced on `access_changes`, and every instance then empties its cache, so it takes
/// effect everywhere within the notice's delivery (milliseconds). The cache is trusted only
/// while this instance is listening (`listening`); without a listener every request looks its
/// credential up. An `epoch` keeps a lookup that raced with a revocation from being cached.
final class SessionCache: Sendable {
    struct Entry: Sendable {
        let caller: Caller
        let until: ContinuousClock.Instant
        /// When the credential itself expires (sessions), on the store's clock.
        let expiresAt: Date?
    }

    /// The epoch, the listening gate and the capacity are the shared cache's.
    private let cache: EpochCache<Data, Entry>
    let lifetime: Duration

    init(lifetime: Duration = .seconds(30), capacity: Int = 10_000) {
        self.lifetime = lifetime
        cache = EpochCache(capacity: capacity, needsListener: true)
    }

    var epoch: UInt64 { cache.epoch }

    /// The cached caller, unless its entry or its credential has expired.
    func caller(_ tokenHash: Data, at date: Date) -> Caller? {
        guard let entry = cache.value(tokenHash) else { return nil }
        if entry.until < ContinuousClock.now || entry.expiresAt.map({ $0 <= date }) == true { return nil }
        return entry.caller
    }

    /// Keeps `caller` unless the cache was emptied since `epoch` was read.
    func remember(_ caller: Caller, for tokenHash: Data, expiresAt: Date?, readAt epoch: UInt64) {
        cache.remember(Entry(caller: caller, until: ContinuousClock.now + lifetime, expiresAt: expiresAt), tokenHash, readAt: epoch)
    }

    /// Drops every entry: a credential, an account or an organization changed somewhere.
    func removeAll() { cache.invalidateAll() }

    /// Whether revocations reach this instance; while they may not, nothing is cached.
    func setListening(_ listening: Bool) { cache.setListening(listening) }
}
