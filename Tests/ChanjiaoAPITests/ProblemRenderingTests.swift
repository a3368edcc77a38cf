@testable import ChanjiaoAPI
import ChanjiaoConsole
import ChanjiaoDomain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Failures that are not the client's have problem kinds of their own: a bug is a 500
/// `internal-error` that says nothing of the internals; a passing outage is a 503 with
/// `Retry-After`.
@Suite struct ProblemRenderingTests {
    struct Boom: Error {}

    func reply(_ error: any Error & Sendable) async throws -> (HTTPResponse.Status, HTTPFields, JSONValue) {
        let router = Router(context: AppContext.self)
        router.add(middleware: ErrorMiddleware(console: try await ConsoleRenderer.load()))
        router.get("fail") { _, _ -> Response in throw error }
        let app = Application(router: router)
        return try await app.test(.router) { client in
            try await client.execute(uri: "/fail", method: .get) { response in
                (response.status, response.headers, try JSONValue.parse(Data(String(buffer: response.body).utf8)))
            }
        }
    }

    @Test func anUnexpectedErrorIsAnInternalErrorProblem() async throws {
        let (status, headers, body) = try await reply(Boom())
        #expect(status == .internalServerError)
        #expect(headers[.contentType] == "application/problem+json")
        guard case .object(let fields) = body else { Issue.record("not an object"); return }
        #expect(fields["type"] == .string("/problems/internal-error"))
        #expect(fields["status"] == .int(500))
        #expect(fields["request_id"] != nil)
        #expect(!"\(body)".contains("Boom"))
    }

    @Test func unavailabilityIsA503WithRetryAfter() async throws {
        let (status, headers, body) = try await reply(Problem.unavailable("the database is restarting", retryAfter: 3))
        #expect(status == .serviceUnavailable)
        #expect(headers[.retryAfter] == "3")
        guard case .object(let fields) = body else { Issue.record("not an object"); return }
        #expect(fields["type"] == .string("/problems/unavailable"))
    }
}
