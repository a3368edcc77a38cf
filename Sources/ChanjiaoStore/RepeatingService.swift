import Foundation
import ServiceLifecycle

/// Work every instance repeats until shutdown: `round` again at once while it reports more to
/// do, otherwise after `interval` — or sooner, for work woken by the feed, when new events are
/// announced (`outbox_changes`). A failed round is logged and tried again after the wait.
public struct RepeatingService: Service {
    let store: Store
    let name: String
    let interval: Duration
    let wokenByFeed: Bool
    let round: @Sendable () async throws -> Bool

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let generation = store.feedWaiters.generation
                do {
                    if try await round() { continue }
                } catch where Task.isCancelled {
                    return
                } catch {
                    store.logger.warning("\(name) failed; retrying", metadata: ["error": "\(error)"])
                }
                if wokenByFeed {
                    await store.feedWaiters.wait(after: generation, timeout: interval)
                } else {
                    try await Task.sleep(for: interval)
                }
            }
        }
    }

    /// Forgets what has expired: idempotency keys older than a day, login failures past their
    /// window, sessions a week past their expiry. The deletes are idempotent.
    public static func housekeeping(_ store: Store, interval: Duration = .seconds(600)) -> RepeatingService {
        RepeatingService(store: store, name: "housekeeping", interval: interval, wokenByFeed: false) {
            try await store.purgeExpiredIdempotencyKeys()
            try await store.purgeLoginState()
            return false
        }
    }

    /// Keeps every active subscription's deliveries up with the feed: fans out as soon as new
    /// events are announced, and at least every `interval` (events that waited for the feed's
    /// horizon, a subscription just enabled). A subscription is fanned out by one instance at a
    /// time. Events were taken: more may stand behind them, so it goes on at once.
    public static func webhookFanOut(_ store: Store, interval: Duration = .seconds(1)) -> RepeatingService {
        RepeatingService(store: store, name: "webhook fan-out", interval: interval, wokenByFeed: true) {
            try await store.fanOutWebhooks() > 0
        }
    }
}
