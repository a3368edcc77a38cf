import Foundation
import Synchronization

/// Long polls of the change feed waiting for the next outbox notice (`outbox_changes`): woken
/// all at once when one arrives, or each at its own deadline. A notice that arrives between a
/// poll's empty read and its wait is not lost: the poll notes `generation` before it reads and
/// returns at once when a notice came since.
final class FeedWaiters: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var listening = false
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        /// Polls whose deadline or cancellation came before they began to wait.
        var expired: Set<UUID> = []
    }

    private let state = Mutex(State())

    var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every waiting poll.
    func notify() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Whether notices are being heard; while not, a poll waits at most a second at a time.
    func setListening(_ listening: Bool) {
        state.withLock { $0.listening = listening }
        notify()
    }

    /// Returns at the next notice after `seen`, at `timeout`, or when the task is cancelled.
    func wait(after seen: UInt64, timeout: Duration) async {
        let id = UUID()
        let limit = state.withLock { $0.listening } ? timeout : min(timeout, .seconds(1))
        let timer = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            self.resume(id)
        }
        defer {
            timer.cancel()
            state.withLock { _ = $0.expired.remove(id) }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.generation != seen || state.expired.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            self.resume(id)
        }
    }

    private func resume(_ id: UUID) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                // A timer that fired just as its poll ended leaves its id: keep the set bounded.
                if state.expired.count > 10_000 { state.expired.removeAll() }
                state.expired.insert(id)
                return nil
            }
            return waiter
        }
        waiter?.resume()
    }
}
