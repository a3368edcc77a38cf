import ChanjiaoConsole
import ChanjiaoDomain
import Hummingbird
import Logging

/// The one error renderer: every error becomes a problem document with the request id — a
/// client's mistake its 4xx, anything else a logged 500 whose body says nothing about the
/// internals. Database errors arrive already translated (`Store.read`/`transaction` do that).
/// The console's and the board's pages get the same problem as a page (`HTMLBody.problem`).
struct ErrorMiddleware: RouterMiddleware {
    let console: ConsoleRenderer

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem: Problem
            switch error {
            case let known as Problem:
                problem = known
            case let httpError as HTTPError:
                problem = Problem.from(httpError)
            default:
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
                problem = Problem.internalError
            }
            if Self.isPage(request.uri.path) { return HTMLBody.problem(problem, request: request, context: context, renderer: console) }
            return problem.response(instance: request.uri.path, requestID: context.id)
        }
    }

    /// The console's and the board's paths: people read these, so problems come as pages.
    static func isPage(_ path: String) -> Bool {
        path == "/console" || path.hasPrefix("/console/") || path == "/board"
    }
}
