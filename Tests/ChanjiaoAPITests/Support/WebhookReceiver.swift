import ChanjiaoAPI
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization

/// A real webhook receiver on loopback: records every request it gets (its `webhook-*`
/// headers, body, whether the signature verifies) and answers what `answer` says for the n-th
/// time it sees a message id (1-based). With `holdAfter`, it answers that many requests and
/// holds every later one unanswered until `release()`.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var messageID: String
        var timestamp: String
        var signature: String
        var body: String
        var type: String
        var cursor: String
    }

    private let received = Mutex<[Received]>([])
    let answer: @Sendable (_ seen: Int, _ body: String) -> HTTPResponse.Status
    let delay: Duration
    let holdAfter: Int?
    private let answeredCount = Mutex(0)
    private let released = Mutex(false)

    init(
        delay: Duration = .zero, holdAfter: Int? = nil,
        answer: @escaping @Sendable (Int, String) -> HTTPResponse.Status = { _, _ in .noContent }
    ) {
        self.answer = answer
        self.delay = delay
        self.holdAfter = holdAfter
    }

    /// How many requests have been answered.
    var answered: Int { answeredCount.withLock { $0 } }
    /// Lets the held requests be answered, and every later one at once.
    func release() { released.withLock { $0 = true } }

    var all: [Received] { received.withLock { $0 } }
    /// Distinct event cursors received.
    var cursors: Set<String> { Set(all.map(\.cursor)) }

    /// Runs the receiver for `body`, with its URL.
    func run(_ body: @Sendable (_ url: String) async throws -> Void) async throws {
        let router = Router()
        router.post("hook") { [self] request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let text = String(buffer: bytes)
            let json = (try? JSONValue.parse(Data(text.utf8))) ?? .null
            func header(_ name: String) -> String { request.headers[HTTPField.Name(name)!] ?? "" }
            let entry = Received(
                messageID: header("webhook-id"), timestamp: header("webhook-timestamp"), signature: header("webhook-signature"),
                body: text, type: json["type"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "",
                cursor: json["cursor"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "")
            let seen = received.withLock { list in
                list.append(entry)
                return list.filter { $0.messageID == entry.messageID }.count
            }
            if delay > .zero { try await Task.sleep(for: delay) }
            let held = answeredCount.withLock { count in
                let hold = holdAfter.map { count >= $0 } ?? false
                if !hold { count += 1 }
                return hold
            }
            if held {
                while !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
                answeredCount.withLock { $0 += 1 }
            }
            return Response(status: answer(seen, text))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hook")
        }
    }

    /// Whether every received signature verifies with one of `secrets`.
    func allSigned(by secrets: [String]) -> Bool {
        all.allSatisfy { entry in
            guard let timestamp = Int(entry.timestamp) else { return false }
            let given = entry.signature.split(separator: " ").map(String.init)
            return secrets.contains { secret in
                WebhookSigning.signature(secret: secret, id: entry.messageID, timestamp: timestamp, body: entry.body)
                    .map(given.contains) ?? false
            }
        }
    }
}

/// Another instance of the service on an existing database, for as long as `body` runs.
func withInstance(
    _ url: DatabaseURL, store: Store, configure: (inout AppConfiguration) -> Void = { _ in }, _ body: @Sendable (TestAPI) async throws -> Void
) async throws {
    var configuration = AppConfiguration(
        host: "127.0.0.1", port: 0, database: url, adminPassword: TestDatabase.adminPassword, logLevel: .warning)
    configure(&configuration)
    let app = try await buildApplication(configuration)
    try await app.test(.live) { client in try await body(TestAPI(client: client, store: store, url: url)) }
}

extension AppConfiguration {
    /// Webhooks as the tests use them: loopback allowed, retries after a fifth of a second.
    mutating func testWebhooks(waits: [Double] = [0.2, 0.2, 0.2]) {
        webhooks = WebhookSettings(policy: WebhookAddressPolicy(allowLoopback: true), schedule: RetrySchedule(waits: waits), timeout: .seconds(5))
    }
}
