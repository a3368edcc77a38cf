import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics

/// One structured log line per request, an `X-Request-Id` header, and request metrics.
struct RequestLogMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        let status = Int(response.status.code)
        response.headers[.requestID] = context.id
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "route": "\(route)",
                "status": "\(status)", "ms": "\((elapsed / .microseconds(1)).rounded() / 1000)",
                "account": "\(context.seen.caller.map { $0.username ?? $0.credential.kind } ?? "-")",
            ])
        let dimensions = [("method", request.method.rawValue), ("route", route), ("status", String(status))]
        Counter(label: "chanjiao_http_requests_total", dimensions: dimensions).increment()
        Timer(label: "chanjiao_http_request_duration_seconds", dimensions: [("method", request.method.rawValue), ("route", route)])
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        return response
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
    static let idempotencyKey = Self("Idempotency-Key")!
}
