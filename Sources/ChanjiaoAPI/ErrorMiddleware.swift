import ChanjiaoDomain
import Hummingbird
import Logging

/// The one error renderer: every error becomes a problem document with the request id — a
/// client's mistake its 4xx, anything else a logged 500 whose body says nothing about the
/// internals. Database errors arrive already translated (`Store.read`/`transaction` do that).
struct ErrorMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let requestID = context.id
            switch error {
            case let problem as Problem:
                return problem.response(instance: request.uri.path, requestID: requestID)
            case let httpError as HTTPError:
                return Problem.from(httpError).response(instance: request.uri.path, requestID: requestID)
            default:
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
                return Problem.internalError.response(instance: request.uri.path, requestID: requestID)
            }
        }
    }
}
