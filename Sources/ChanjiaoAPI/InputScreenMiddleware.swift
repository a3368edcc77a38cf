import ChanjiaoDomain
import Foundation
import Hummingbird

/// Screens the text of the URL before any route sees it, in one place for every route: path
/// parameters are percent-decoded (the router matches the raw path), and a path or query
/// parameter holding NUL or another forbidden control character is a 422 at its name, never
/// a database error. JSON bodies get the same screen in `HTTPBody.json`.
struct InputScreenMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        // The HTTP parser refuses raw control characters, so only a percent-escape can carry one:
        // a URL without `%` passes untouched.
        var errors: [FieldError] = []
        var context = context
        if context.parameters.contains(where: { $0.value.contains("%") }) {
            var decoded = Parameters()
            for (name, raw) in context.parameters {
                guard let value = String(raw).removingPercentEncoding else {
                    throw Problem.badRequest("the path parameter \(name) is not valid percent-encoded UTF-8")
                }
                if TextRules.hasForbiddenControl(value) { errors.append(FieldError(field: String(name), message: TextRules.controlMessage)) }
                decoded.append(key: name, value: Substring(value))
            }
            context.coreContext.parameters = decoded
        }
        if request.uri.query?.contains("%") == true {
            for (name, value) in request.uri.queryParameters
            where TextRules.hasForbiddenControl(name) || TextRules.hasForbiddenControl(value) {
                errors.append(FieldError(field: String(name), message: TextRules.controlMessage))
            }
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        return try await next(request, context)
    }
}
