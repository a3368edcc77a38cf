import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// How a job's work ended, as its handler tells the worker.
public enum JobOutcome: Sendable, Equatable {
    /// Done (however its subject ended): the job is removed.
    case finished
    /// Try again at this time.
    case retry(at: Date)
}

/// Works the queue's jobs of some kinds, up to `concurrency` at once: claims a due job, renews
/// its lease while `handler` runs, then removes or reschedules it. On shutdown it claims no
/// more and gives back what it still holds, so another instance picks it up at once instead of
/// waiting for the lease to run out. A job whose handler throws is retried after `pollInterval`
/// times its attempts, at most a minute later.
public struct JobWorker: Service {
    let store: Store
    let kinds: [JobKind]
    let concurrency: Int
    let lease: Duration
    let pollInterval: Duration
    let handler: @Sendable (Job) async throws -> JobOutcome
    /// Who holds a claimed job: unique per worker, so two instances never share a lease.
    public let name: String

    public init(
        store: Store, kinds: [JobKind], concurrency: Int = 1, lease: Duration = .seconds(60),
        pollInterval: Duration = .milliseconds(250), name: String = JobWorker.newName(),
        handler: @escaping @Sendable (Job) async throws -> JobOutcome
    ) {
        self.store = store
        self.kinds = kinds
        self.concurrency = concurrency
        self.lease = lease
        self.pollInterval = pollInterval
        self.handler = handler
        self.name = name
    }

    /// Host, process and a random part: no two workers anywhere share one.
    public static func newName() -> String {
        "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8))"
    }

    public func run() async throws {
        let running = NIOLockedValueBox(0)
        // A graceful shutdown cancels the loop and, with it, the jobs in hand.
        await cancelWhenGracefulShutdown {
            // Discarding: the loop runs as long as the service, and a plain group keeps every
            // finished child until someone awaits it.
            await withDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    if running.withLockedValue({ $0 }) < concurrency {
                        do {
                            if let job = try await store.claimJob(kinds: kinds, worker: name, lease: lease) {
                                running.withLockedValue { $0 += 1 }
                                group.addTask {
                                    await work(job)
                                    running.withLockedValue { $0 -= 1 }
                                }
                                continue
                            }
                        } catch where !Task.isCancelled {
                            store.logger.warning("job queue unavailable", metadata: ["error": "\(error)"])
                        } catch {
                            break
                        }
                    }
                    try? await Task.sleep(for: pollInterval)
                }
            }
        }
    }

    private func work(_ job: Job) async {
        let renewal = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: lease / 3)
                try? await store.renewJob(job, worker: name, lease: lease)
            }
        }
        defer { renewal.cancel() }
        do {
            switch try await handler(job) {
            case .finished: try await store.finishJob(job, worker: name)
            case .retry(let date): try await store.releaseJob(job, worker: name, runAt: date)
            }
        } catch {
            let cancelled = Task.isCancelled || error is CancellationError
            if !cancelled {
                store.logger.error("job failed", metadata: ["kind": "\(job.kind.rawValue)", "subject": "\(job.subject)", "error": "\(error)"])
            }
            let delay = cancelled ? 0 : min(60, pollInterval.inSeconds * Double(job.attempts))
            // Given back even while shutting down: the release must not be cancelled with us.
            let release = Task.detached { [store, name] in
                try? await store.releaseJob(job, worker: name, runAt: Date().addingTimeInterval(delay))
            }
            await release.value
        }
    }
}
