import ChanjiaoDomain
import ChanjiaoStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The HTTP side of the one write path (`Store.write`): who is writing (the caller and the
/// request id), the `Idempotency-Key` of a POST, and the response — the same whether
/// the write happened now or is a replay of the first identical request.
enum WriteResponder {
    /// Runs `write` and answers with its document (`ETag`; `Location` when `locationPrefix` is
    /// given), or 204 when the write leaves nothing to show. `idempotentBody`: the body of a
    /// POST that creates or moves a record (a move without a body passes `{}`), which makes
    /// `Idempotency-Key` apply.
    static func respond(
        _ request: Request, _ context: AppContext, status: HTTPResponse.Status = .ok, locationPrefix: String? = nil,
        idempotentBody: JSONValue? = nil, _ write: (WriteActor) async throws -> WriteOutcome
    ) async throws -> Response {
        var actor = WriteActor(caller: context.caller, requestID: context.id)
        if let body = idempotentBody, let key = request.headers[.idempotencyKey] {
            actor.idempotency = try idempotency(request, context, key: key, body: body, status: status, locationPrefix: locationPrefix)
        }
        switch try await write(actor) {
        case .written(let written):
            guard let document = written.document else { return HTTPBody.noContent() }
            let location = locationPrefix.map { $0 + written.id.uuidString.lowercased() }
            return HTTPBody.response(document, status: status, location: location)
        case .replayed(let stored):
            var headers: HTTPFields = [:]
            for (name, value) in stored.headers {
                if let field = HTTPField.Name(name) { headers[field] = value }
            }
            headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
            return Response(
                status: .init(code: stored.status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: stored.body)))
        }
    }

    private static func idempotency(
        _ request: Request, _ context: AppContext, key: String, body: JSONValue, status: HTTPResponse.Status,
        locationPrefix: String?
    ) throws -> IdempotencyRequest {
        guard (1...200).contains(key.utf8.count) else {
            throw Problem.invalid(field: "Idempotency-Key", "must have 1 to 200 characters")
        }
        // The body's canonical form without its passwords: a kept hash must not be a fast way
        // to test guesses at a password the body carried.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: try encoder.encode(withoutSecrets(body)))
        let hash = Data(hasher.finalize())
        // Keys are per account (or key). Anonymous callers share no account, so their keys are
        // also per body: a stranger who guesses a key gets nothing they did not send themselves.
        let caller = context.caller
        let scope =
            caller.accountID?.uuidString.lowercased() ?? caller.credential.id.map { "key:" + $0.uuidString.lowercased() }
            ?? "anonymous:" + hash.map { String(format: "%02x", $0) }.joined()
        let secrets = try secrets(body).map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        return IdempotencyRequest(
            scope: scope, key: key, requestHash: hash, status: Int(status.code), locationPrefix: locationPrefix, secrets: secrets)
    }

    /// The body's password members alone (nil when it has none), which the store keeps only as
    /// a bcrypt hash: a replay with another password is a different request.
    static func secrets(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, member) in members {
                if secretMembers.contains(key) { kept[key] = member } else if let inner = secrets(member) { kept[key] = inner }
            }
            return kept.isEmpty ? nil : .object(kept)
        case .array(let items):
            let inner = items.map { secrets($0) ?? .null }
            return inner.allSatisfy { $0 == .null } ? nil : .array(inner)
        default:
            return nil
        }
    }

    static let secretMembers: Set<String> = ["password", "current", "new"]

    static func withoutSecrets(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, member) in members where !secretMembers.contains(key) { kept[key] = withoutSecrets(member) }
            return .object(kept)
        case .array(let items):
            return .array(items.map(withoutSecrets))
        default:
            return value
        }
    }
}
