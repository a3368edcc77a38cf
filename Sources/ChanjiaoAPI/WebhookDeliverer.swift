import AsyncHTTPClient
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import NIOCore
import NIOHTTP1

/// How webhooks are delivered (`CHANJIAO_WEBHOOK_ALLOW_LOOPBACK`; tests shorten the schedule).
public struct WebhookSettings: Sendable {
    public var policy: WebhookAddressPolicy
    public var schedule: RetrySchedule
    /// How long a receiver has to answer.
    public var timeout: Duration

    public init(policy: WebhookAddressPolicy = WebhookAddressPolicy(), schedule: RetrySchedule = .standard, timeout: Duration = .seconds(10)) {
        self.policy = policy
        self.schedule = schedule
        self.timeout = timeout
    }
}

/// Works the queue's webhook deliveries: signs each message (Standard Webhooks), checks the
/// receiver's address again after resolving it, posts to that very address with
/// async-http-client (no redirects followed), and records the attempt. Several at once per
/// instance; each attempt is made by the one worker holding its job.
struct WebhookDeliverer: Sendable {
    let store: Store
    let settings: WebhookSettings

    func worker() -> JobWorker {
        let name = JobWorker.newName()
        return JobWorker(store: store, kinds: [.webhookDelivery], concurrency: 8, name: name) { job in try await deliver(job, by: name) }
    }

    func deliver(_ job: Job, by instance: String) async throws -> JobOutcome {
        guard let message = try await store.webhookMessage(delivery: job.subject) else { return .finished }
        let attempt = await send(message)
        // Shutting down mid-attempt: the job goes back unrecorded and is sent again (at least once).
        try Task.checkCancellation()
        return try await store.recordWebhookAttempt(message, attempt, round: job.attempts, schedule: settings.schedule, instance: instance)
    }

    func send(_ message: WebhookMessage) async -> WebhookAttempt {
        let start = ContinuousClock.now
        func attempt(_ code: Int?, _ error: String?) -> WebhookAttempt {
            let elapsed = ContinuousClock.now - start
            return WebhookAttempt(responseCode: code, latencyMilliseconds: Int(elapsed.inSeconds * 1000), error: error)
        }
        guard let url = URL(string: message.url) else { return attempt(nil, "the URL does not parse") }
        let target: (host: String, address: String)
        switch await settings.policy.check(url) {
        case .success(let checked): target = checked
        case .failure(let refusal): return attempt(nil, refusal.reason)
        }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: TimeAmount(settings.timeout)))
        // Connect to the address just checked, not to whatever the name resolves to next
        // (DNS rebinding); TLS still verifies the certificate for the name.
        if target.address != target.host { configuration.dnsOverride = [target.host: target.address] }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let timestamp = Int(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: message.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "Chanjiao-Webhooks/1.0")
        request.headers.add(name: "webhook-id", value: message.messageID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature",
            value: WebhookSigning.header(secrets: message.secrets, id: message.messageID, timestamp: timestamp, body: message.body))
        request.body = .bytes(ByteBuffer(string: message.body))
        let result: WebhookAttempt
        do {
            let response = try await client.execute(request, timeout: TimeAmount(settings.timeout + .seconds(5)))
            // Read (and drop) a little of the answer, so the connection ends cleanly.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            result = attempt(Int(response.status.code), nil)
        } catch {
            result = attempt(nil, Self.describe(error))
        }
        try? await client.shutdown()
        return result
    }

    /// A short reason for the owner: no driver types, no stack.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout: "the receiver did not answer in time"
        case let error as HTTPClientError where error == .connectTimeout: "the connection timed out"
        case is CancellationError: "cancelled"
        default: String("\(error)".prefix(300))
        }
    }
}
