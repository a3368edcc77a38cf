import ChanjiaoDomain
import Foundation
import HTTPTypes
import Hummingbird

/// Screens the text of the URL before any route sees it, in one place for every route: path
/// parameters are percent-decoded (the router matches the raw path), and a path or query
/// parameter holding NUL or another forbidden control character is a 422 at its name, never
/// a database error. JSON bodies get the same screen in `HTTPBody.json`. An operation the
/// OpenAPI document gives no query parameters refuses any (422 at each name); the others
/// check theirs where they read them.
struct InputScreenMiddleware: RouterMiddleware {
    /// The methods of each path (`/v1/programs/{id}`, as the router names its routes: the
    /// document's form) whose operations take no query parameters.
    let withoutQuery: [String: Set<HTTPRequest.Method>]

    init(document: Data) { withoutQuery = Self.operationsWithoutQuery(document) }

    static func operationsWithoutQuery(_ data: Data) -> [String: Set<HTTPRequest.Method>] {
        var withoutQuery: [String: Set<HTTPRequest.Method>] = [:]
        // `OpenAPIDocument.data` is `{}` only when the bundle is missing, which the start refuses.
        guard case .object(let document)? = try? JSONValue.parse(data), case .object(let paths)? = document["paths"] else { return [:] }
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for (method, operation) in operations where ["get", "post", "put", "patch", "delete"].contains(method) {
                var parameters: [JSONValue] = []
                for case .array(let list)? in [item["parameters"], operation["parameters"]] { parameters += list }
                let inQuery = parameters.contains { parameter in
                    if parameter["in"] == .string("query") { return true }
                    guard case .string(let ref)? = parameter["$ref"], let name = ref.split(separator: "/").last,
                        case .object(let components)? = document["components"], let declared = components["parameters"]?[String(name)]
                    else { return false }
                    return declared["in"] == .string("query")
                }
                if !inQuery, let method = HTTPRequest.Method(method.uppercased()) { withoutQuery[path, default: []].insert(method) }
            }
        }
        return withoutQuery
    }

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        if let query = request.uri.query, !query.isEmpty, let path = context.endpointPath,
            withoutQuery[path]?.contains(request.method) == true
        {
            // A stray `&` or `=` names nothing.
            let names = Set(request.uri.queryParameters.map { String($0.key) }.filter { !$0.isEmpty }).sorted()
            if !names.isEmpty {
                throw Problem.invalid(names.map { FieldError(field: $0, message: "is not a parameter of this route, which takes none") })
            }
        }
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
