/// A failure the client can act on. The API layer renders it as an RFC 9457 problem document;
/// nothing below the API knows about HTTP, only about the kind of failure.
public struct Problem: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case badRequest  // malformed syntax: JSON that does not parse, bad query parameter type
        case unauthorized
        case forbidden
        case notFound
        case methodNotAllowed  // the path is served, not with this method
        case conflict  // wrong state, duplicate
        case preconditionFailed  // stale version
        case contentTooLarge
        case unsupportedMediaType
        case invalid  // well-formed but breaks a rule; `errors` says which fields
        case tooManyRequests
        case unavailable  // temporarily unable to serve: the database is down, the index is loading
        case internalError  // a bug; the document says nothing but the request id
    }

    public var kind: Kind
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    /// Extra members of the problem document (e.g. the id of an existing duplicate).
    public var extensions: [String: String]

    public init(
        _ kind: Kind, title: String, detail: String, errors: [FieldError] = [],
        extensions: [String: String] = [:]
    ) {
        self.kind = kind
        self.title = title
        self.detail = detail
        self.errors = errors
        self.extensions = extensions
    }

    public static func invalid(_ errors: [FieldError], detail: String? = nil) -> Problem {
        Problem(
            .invalid, title: "请求内容不符合规则 (validation failed)",
            detail: detail ?? errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "),
            errors: errors)
    }

    public static func invalid(field: String, _ message: String) -> Problem {
        invalid([FieldError(field: field, message: message)])
    }

    public static func notFound(_ what: String) -> Problem {
        Problem(.notFound, title: "未找到 (not found)", detail: "\(what) does not exist")
    }

    /// 405 with `Allow`: the path is served, with these methods only.
    public static func methodNotAllowed(allowed: [String]) -> Problem {
        Problem(
            .methodNotAllowed, title: "方法不允许 (method not allowed)",
            detail: "this path takes \(allowed.joined(separator: ", ")) only", extensions: ["allow": allowed.joined(separator: ", ")])
    }

    public static func conflict(_ detail: String, extensions: [String: String] = [:]) -> Problem {
        Problem(.conflict, title: "冲突 (conflict)", detail: detail, extensions: extensions)
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, title: "无权操作 (forbidden)", detail: detail)
    }

    public static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, title: "请求格式错误 (bad request)", detail: detail)
    }

    /// 503 with `Retry-After`: nothing is wrong with the request; the same request may succeed
    /// in `retryAfter` seconds.
    public static func unavailable(_ detail: String, retryAfter: Int = 2) -> Problem {
        Problem(
            .unavailable, title: "服务暂时不可用 (service unavailable)", detail: detail,
            extensions: ["retry_after_seconds": String(retryAfter)])
    }

    public static let internalError = Problem(
        .internalError, title: "服务器内部错误 (internal error)",
        detail: "an unexpected error occurred; quote the request_id when reporting it")

    public static let unauthorized = Problem(
        .unauthorized, title: "需要登录 (unauthorized)",
        detail: "a valid bearer token is required")

    /// `current` nil: the record does not exist (yet), so no version matches.
    public static func stale(current: Int?) -> Problem {
        guard let current else {
            return Problem(.preconditionFailed, title: "版本已过期 (precondition failed)", detail: "If-Match names a version of a record that does not exist")
        }
        return Problem(
            .preconditionFailed, title: "版本已过期 (precondition failed)",
            detail: "If-Match does not name the current version \(current)",
            extensions: ["current_version": String(current)])
    }
}

/// One broken rule, located by a JSON path such as `skills[2].level`.
public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
