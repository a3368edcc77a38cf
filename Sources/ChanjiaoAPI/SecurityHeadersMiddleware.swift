import ChanjiaoDomain
import HTTPTypes
import Hummingbird

/// Headers every response carries, and CORS for the configured web front ends.
///
/// - `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere;
/// - `Cache-Control: no-store` on answers to requests that carry credentials, so no shared
///   cache keeps what one caller may see;
/// - CORS only for origins in `CHANJIAO_CORS_ORIGINS`: their preflight (`OPTIONS` with
///   `Access-Control-Request-Method`) is answered 204 here, before routing; other origins get
///   no CORS headers (the browser then refuses), and their preflight a 403.
struct SecurityHeadersMiddleware: RouterMiddleware {
    let allowedOrigins: Set<String>

    static let allowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowHeaders = "Authorization, Content-Type, If-Match, Idempotency-Key"
    static let exposeHeaders = "ETag, Location, Retry-After, X-Request-Id, Idempotent-Replayed"

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin]
        let allowed = origin.map(allowedOrigins.contains) ?? false
        var response: Response
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard allowed else {
                throw Problem.forbidden("this origin is not allowed to call the API from a browser")
            }
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = Self.allowMethods
            response.headers[.accessControlAllowHeaders] = Self.allowHeaders
            response.headers[.accessControlMaxAge] = "600"
        } else {
            response = try await next(request, context)
        }
        if allowed, let origin {
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
