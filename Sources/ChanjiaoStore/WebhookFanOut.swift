import Foundation
import ServiceLifecycle

/// Keeps every active subscription's deliveries up with the feed: fans out as soon as new
/// events are announced (`outbox_changes`), and at least every `interval` (events that waited
/// for the feed's horizon, a subscription just enabled). Every instance runs it; a
/// subscription is fanned out by one instance at a time.
public struct WebhookFanOut: Service {
    let store: Store
    let interval: Duration

    public init(store: Store, interval: Duration = .seconds(1)) {
        self.store = store
        self.interval = interval
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let generation = store.feedWaiters.generation
                do {
                    // A full batch may have more behind it: go on at once.
                    if try await store.fanOutWebhooks() > 0 { continue }
                } catch is CancellationError {
                    return
                } catch {
                    store.logger.warning("webhook fan-out failed; retrying", metadata: ["error": "\(error)"])
                    try await Task.sleep(for: interval)
                }
                await store.feedWaiters.wait(after: generation, timeout: interval)
            }
        }
    }
}
