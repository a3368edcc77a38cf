import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Follows `access_changes`: whenever a credential, an account or an organization's status
/// changes on any instance, this instance empties its session cache, so revocations take
/// effect everywhere within milliseconds. While not listening, the cache is off.
public struct AccessListener: Service {
    let store: Store

    public init(store: Store) { self.store = store }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { try await listen() }
        store.sessions.setListening(false)
    }

    private func listen() async throws {
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    try await connection.listen(on: Store.accessChannel) { notices in
                        // Changes may have been missed while no one listened.
                        store.sessions.setListening(true)
                        for try await _ in notices { store.sessions.removeAll() }
                    }
                }
            } catch where !Task.isCancelled {
                store.logger.warning("access listener stopped; reconnecting", metadata: ["error": "\(error)"])
            } catch {
                return
            }
            store.sessions.setListening(false)
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

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
