import ChanjiaoDomain
import Foundation
import HTTPTypes
import Hummingbird

/// Problems render themselves as RFC 9457 `application/problem+json` documents.
extension Problem: HTTPResponseError {
    public var status: HTTPResponse.Status {
        switch kind {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .preconditionFailed: .preconditionFailed
        case .contentTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .invalid: .unprocessableContent
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    var slug: String {
        switch kind {
        case .badRequest: "bad-request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not-found"
        case .methodNotAllowed: "method-not-allowed"
        case .conflict: "conflict"
        case .preconditionFailed: "stale-version"
        case .contentTooLarge: "too-large"
        case .unsupportedMediaType: "unsupported-media-type"
        case .invalid: "validation"
        case .tooManyRequests: "too-many-requests"
        case .unavailable: "unavailable"
        case .internalError: "internal-error"
        }
    }

    /// Hummingbird's path for an error no middleware rendered; `ErrorMiddleware` renders all of
    /// ours, through the same function.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(instance: request.uri.path, requestID: context.id)
    }

    /// `members`: more members of the document (RFC 9457's extension members), e.g. an import's
    /// report; they win over the standard ones of the same name.
    func response(instance: String, requestID: String? = nil, members: [String: JSONValue] = [:]) -> Response {
        var document: [String: JSONValue] = [
            "type": .string("/problems/\(slug)"), "title": .string(title), "status": .int(Int(status.code)),
            "detail": .string(detail), "instance": .string(instance),
        ]
        if kind == .invalid || !errors.isEmpty {
            document["errors"] = .array(errors.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
        }
        for (key, value) in extensions { document[key] = .string(value) }
        if let requestID { document["request_id"] = .string(requestID) }
        document.merge(members) { _, member in member }
        let body = (try? JSONEncoder().encode(JSONValue.object(document))) ?? Data()
        var headers = headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: body)))
    }

    /// The headers the problem's status asks for, whether it is rendered as JSON or as a page.
    var headers: HTTPFields {
        var headers: HTTPFields = [:]
        if kind == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let seconds = extensions["retry_after_seconds"] { headers[.retryAfter] = seconds }
        if let methods = extensions["allow"] { headers[.allow] = methods }
        return headers
    }

    /// The problem for one of Hummingbird's own errors (no route, body too large, …).
    static func from(_ error: HTTPError) -> Problem {
        switch error.status {
        case .notFound: Problem.notFound("this route")
        case .contentTooLarge: Problem(.contentTooLarge, title: "请求过大 (content too large)", detail: "the body exceeds the limit of 1 MiB")
        case .unauthorized: Problem.unauthorized
        case .unsupportedMediaType: Problem(.unsupportedMediaType, title: "媒体类型不支持 (unsupported media type)", detail: error.body ?? "send application/json")
        default: Problem.badRequest(error.body ?? "the request is malformed")
        }
    }
}
