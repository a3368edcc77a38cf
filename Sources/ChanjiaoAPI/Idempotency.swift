import ChanjiaoDomain
import ChanjiaoStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// `Idempotency-Key` on creating POSTs: the same key and body get the first response again.
struct Idempotency {
    let store: Store

    func run(
        _ request: Request, context: AppContext, body: ByteBuffer,
        _ create: () async throws -> Response
    ) async throws -> Response {
        guard let key = request.headers[.idempotencyKey] else { return try await create() }
        guard (1...200).contains(key.utf8.count) else {
            throw Problem.invalid(field: "Idempotency-Key", "must have 1 to 200 characters")
        }
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: Data(body.readableBytesView))
        let hash = Data(hasher.finalize())
        // Keys are per account. Anonymous callers share no account, so their keys are also
        // per body: a stranger who guesses a key gets nothing they did not send themselves.
        let scope = context.caller.accountID?.uuidString.lowercased()
            ?? "anonymous:" + hash.map { String(format: "%02x", $0) }.joined()
        switch try await store.claimIdempotencyKey(scope: scope, key: key, requestHash: hash) {
        case .replay(let stored):
            var headers: HTTPFields = [:]
            for (name, value) in stored.headers {
                if let field = HTTPField.Name(name) { headers[field] = value }
            }
            headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
            return Response(
                status: .init(code: stored.status), headers: headers,
                body: .init(byteBuffer: ByteBuffer(data: stored.body)))
        case .proceed:
            let response: Response
            do {
                response = try await create()
            } catch {
                // A client error is an answer worth replaying; our own failure is not.
                let translated = DatabaseErrors.translate(error)
                if let problem = translated as? Problem {
                    let rendered = problem.response(instance: request.uri.path)
                    try await remember(rendered, body: (try? await rendered.body.collectBody()) ?? Data(), scope: scope, key: key)
                    throw problem
                }
                try? await store.releaseIdempotent(scope: scope, key: key)
                throw error
            }
            return try await rememberAndReturn(response, scope: scope, key: key)
        }
    }

    private func rememberAndReturn(_ response: Response, scope: String, key: String) async throws -> Response {
        var response = response
        let body = (try? await response.body.collectBody()) ?? Data()
        try await remember(response, body: body, scope: scope, key: key)
        response.body = .init(byteBuffer: ByteBuffer(data: body))
        return response
    }

    private func remember(_ response: Response, body: Data, scope: String, key: String) async throws {
        var headers: [String: String] = [:]
        for field in response.headers where [.contentType, .location, .eTag].contains(field.name) {
            headers[field.name.rawName] = field.value
        }
        try await store.finishIdempotent(
            scope: scope, key: key, response: StoredResponse(status: Int(response.status.code), headers: headers, body: body))
    }
}

extension ResponseBody {
    /// Reads a response body into memory (our JSON bodies are small and already in memory).
    func collectBody() async throws -> Data {
        let collector = BodyCollector()
        try await self.write(collector)
        return collector.data
    }
}

/// A `ResponseBodyWriter` that keeps what it is given.
final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    var data = Data()
    func write(_ buffer: ByteBuffer) async throws { data.append(contentsOf: buffer.readableBytesView) }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
