import Foundation
import ServiceLifecycle

/// Forgets what has expired: idempotency keys older than a day, login failures past their
/// window, sessions a week past their expiry. Every instance runs it; the deletes are idempotent.
public struct Housekeeping: Service {
    let store: Store
    let interval: Duration

    public init(store: Store, interval: Duration = .seconds(600)) {
        self.store = store
        self.interval = interval
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await store.purgeExpiredIdempotencyKeys()
                    try await store.purgeLoginState()
                } catch {
                    store.logger.warning("housekeeping failed; retrying later", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
