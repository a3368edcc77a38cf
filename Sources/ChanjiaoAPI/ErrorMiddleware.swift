import ChanjiaoDomain
import ChanjiaoStore
import Hummingbird
import Logging

/// Turns every error into a problem document: a client's mistake into its 4xx, anything else
/// into a logged 500 whose body says nothing about the internals.
struct ErrorMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let requestID = context.id
            switch DatabaseErrors.translate(error) {
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
