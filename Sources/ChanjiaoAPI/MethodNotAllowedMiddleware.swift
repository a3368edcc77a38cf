import ChanjiaoDomain
import HTTPTypes
import Hummingbird

/// A served path asked with a method it does not take: 405 with `Allow` (RFC 9110 §15.5.6),
/// not 404; a bare `OPTIONS` (not a CORS preflight) is told the methods with 204. Added to the
/// router after every route, so it wraps only the router's not-found responder: it sees just the
/// requests no route took, and the one error renderer around it renders its problem.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppContext

    /// Each served path's segments and its methods.
    let routes: [(segments: [RouterPath.Element], methods: Set<HTTPRequest.Method>)]

    init(routes: [Router<AppContext>.RouteDescription]) {
        var methods: [String: (segments: [RouterPath.Element], methods: Set<HTTPRequest.Method>)] = [:]
        for route in routes {
            methods[route.path.description, default: (Array(route.path.components), [])].methods.insert(route.method)
        }
        self.routes = Array(methods.values)
    }

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = allowedMethods(request.uri.path)
            // The trie stops at a literal segment without a route of its own (`/v1/talents/by-external-id`)
            // where this match goes on to a parameter's: a method it lists was no route after all.
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            if request.method == .options { return Response(status: .noContent, headers: [.allow: (allowed + ["OPTIONS"]).joined(separator: ", ")]) }
            throw Problem.methodNotAllowed(allowed: allowed)
        }
    }

    /// The methods of the path the router would have taken, with HEAD wherever GET is
    /// (`HeadResponder`). Like the router's trie, a segment matches a literal before a parameter,
    /// without going back: `/v1/x/export` is the literal route's, never `/v1/x/{id}`'s.
    func allowedMethods(_ path: String) -> [String] {
        let parts = path.split(separator: "/")
        var candidates = routes.filter { $0.segments.count == parts.count }
        for (index, part) in parts.enumerated() {
            let literal = candidates.filter { $0.segments[index] == part }
            candidates = literal.isEmpty ? candidates.filter { $0.segments[index] ~= part } : literal
        }
        var methods = candidates.reduce(into: Set<HTTPRequest.Method>()) { $0.formUnion($1.methods) }
        if methods.contains(.get) { methods.insert(.head) }
        let order: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]
        return order.filter(methods.contains).map(\.rawValue)
    }
}
