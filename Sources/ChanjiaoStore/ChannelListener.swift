import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Follows one notice channel for as long as the service runs, reconnecting when the
/// connection drops: `listening` says whether notices are being heard (a cache that relies on
/// them must not keep anything while they are not, since changes may be missed), `notice` runs
/// for each one.
public struct ChannelListener: Service {
    let store: Store
    let channel: String
    let listening: @Sendable (Bool) -> Void
    let notice: @Sendable () -> Void

    /// `access_changes`: whenever a credential, an account or an organization's status changes
    /// on any instance, this instance empties its session cache, so revocations take effect
    /// everywhere within milliseconds. While not listening, the cache is off.
    public static func access(_ store: Store) -> ChannelListener {
        ChannelListener(
            store: store, channel: Store.accessChannel, listening: { store.sessions.setListening($0) },
            notice: { store.sessions.removeAll() })
    }

    /// `supervision_changes` (triggers on the tables the scoreboard and the overview read):
    /// this instance forgets the results it keeps.
    public static func supervision(_ store: Store) -> ChannelListener {
        ChannelListener(
            store: store, channel: Store.supervisionChannel, listening: { store.supervisionCache.setListening($0) },
            notice: { store.supervisionCache.invalidateAll() })
    }

    /// `outbox_changes`: new events in the outbox wake this instance's waiting feed polls.
    public static func feed(_ store: Store) -> ChannelListener {
        ChannelListener(
            store: store, channel: Store.feedChannel, listening: { store.feedWaiters.setListening($0) },
            notice: { store.feedWaiters.notify() })
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { try await listen() }
        listening(false)
    }

    private func listen() async throws {
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    try await connection.listen(on: channel) { notices in
                        // Changes may have been missed while no one listened.
                        listening(true)
                        for try await _ in notices { notice() }
                    }
                }
            } catch where !Task.isCancelled {
                store.logger.warning("\(channel) listener stopped; reconnecting", metadata: ["error": "\(error)"])
            } catch {
                return
            }
            listening(false)
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
