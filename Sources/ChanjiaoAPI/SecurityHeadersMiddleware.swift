import ChanjiaoDomain
import HTTPTypes
import Hummingbird

/// Headers every response carries — problems included, so it sits outside the error renderer —
/// and CORS for the configured web front ends:
///
/// - `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere;
/// - `Cache-Control: no-store` on answers to requests that carry credentials, so no shared
///   cache keeps what one caller may see;
/// - `Access-Control-Allow-Origin` only for origins in `CHANJIAO_CORS_ORIGINS`; other origins
///   get no CORS headers, and the browser refuses them.
struct SecurityHeadersMiddleware: RouterMiddleware {
    let allowedOrigins: Set<String>

    static let exposeHeaders = "ETag, Location, Retry-After, X-Request-Id, Idempotent-Replayed"

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if let origin = request.headers[.origin], allowedOrigins.contains(origin) {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = Self.exposeHeaders
        }
        if !allowedOrigins.isEmpty { response.headers[.vary] = "Origin" }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        if request.headers[.authorization] != nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
}

/// Answers CORS preflights (`OPTIONS` with `Access-Control-Request-Method`) before routing:
/// 204 with what may be sent for an allowed origin, a 403 problem for any other.
struct CORSPreflightMiddleware: RouterMiddleware {
    let allowedOrigins: Set<String>

    static let allowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowHeaders = "Authorization, Content-Type, If-Match, Idempotency-Key"

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard request.method == .options, request.headers[.accessControlRequestMethod] != nil else {
            return try await next(request, context)
        }
        guard let origin = request.headers[.origin], allowedOrigins.contains(origin) else {
            throw Problem.forbidden("this origin is not allowed to call the API from a browser")
        }
        var response = Response(status: .noContent)
        response.headers[.accessControlAllowMethods] = Self.allowMethods
        response.headers[.accessControlAllowHeaders] = Self.allowHeaders
        response.headers[.accessControlMaxAge] = "600"
        return response
    }
}
