import ChanjiaoDomain
import ChanjiaoStore
import Hummingbird

/// Resolves `Authorization: Bearer <session token or API key>` to the caller. No header:
/// anonymous (each route's policy decides); an unknown, expired, revoked or disabled
/// credential: 401 everywhere. The console's pages (`/console/…`) also take the session in
/// its cookie (`ConsoleSession`); a stale cookie is no credential, so the page asks to sign in.
struct AuthMiddleware: RouterMiddleware {
    let store: Store

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            guard request.uri.path.hasPrefix("/console/") || request.uri.path == "/console",
                let token = ConsoleSession.value(ConsoleSession.cookie, in: request), token.hasPrefix("cj_"), token.utf8.count <= 200,
                let caller = try await store.caller(token: token)
            else { return try await next(request, context) }
            var context = context
            context.identity = caller
            context.bearerToken = token
            return try await next(request, context)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem(.unauthorized, title: "需要登录 (unauthorized)", detail: "use Authorization: Bearer <token>")
        }
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard token.utf8.count <= 200, let caller = try await store.caller(token: token) else {
            throw Problem(.unauthorized, title: "需要登录 (unauthorized)", detail: "the token is unknown, expired or revoked")
        }
        var context = context
        context.identity = caller
        context.bearerToken = token
        return try await next(request, context)
    }
}
