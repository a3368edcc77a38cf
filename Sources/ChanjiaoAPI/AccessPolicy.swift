import ChanjiaoDomain
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// The one authorization layer: every route that needs a credential declares its policy where
/// it is registered (`on(_:_:_:use:)`), and hummingbird-auth's `AuthorizationPolicyMiddleware`
/// enforces it before the handler runs. Sessions are judged by role, API keys by scope. Which
/// rows a caller may see or change is not decided here but in SQL (`Resource`), once.
struct AccessPolicy: AuthorizationPolicy {
    typealias Identity = Caller

    /// Session roles that may call the route.
    var roles: Set<Role>
    /// API-key scopes of which a key needs one; empty: no key may call it.
    var scopes: Set<Scope>
    /// Any API key may call it (reads whose rows SQL narrows to the key's own).
    var anyKey = false
    /// The route writes: refused to a suspended organization's accounts and keys.
    var writes: Bool

    func isAuthorized(identity caller: Caller, request: Request) async throws -> Bool {
        switch caller.credential {
        case .anonymous:
            throw Problem.unauthorized
        case .apiKey:
            guard anyKey || !scopes.isDisjoint(with: caller.scopes) else {
                throw Problem.forbidden(
                    scopes.isEmpty
                        ? "API keys may not call this route; sign in with an account"
                        : "this API key lacks the scope \(scopes.map(\.rawValue).sorted().joined(separator: " or "))")
            }
        case .session:
            guard let role = caller.role, roles.contains(role) else {
                throw Problem.forbidden("this route is for \(Self.names(roles)) only")
            }
        }
        if writes && caller.organizationStatus == .suspended {
            throw Problem.forbidden("the organization is suspended: its accounts and keys may read but not write")
        }
        return true
    }

    static func names(_ roles: Set<Role>) -> String {
        Role.allCases.filter(roles.contains).map(\.rawValue).joined(separator: ", ")
    }

    /// Reads for any credential: every signed-in role and every key.
    static let anyCredential = AccessPolicy(roles: Set(Role.allCases), scopes: [], anyKey: true, writes: false)
    /// Signed-in accounts acting on themselves (sign-out, their own password); no keys.
    static let anyAccount = AccessPolicy(roles: Set(Role.allCases), scopes: [], writes: false)
    static let bureau = AccessPolicy(roles: [.bureau], scopes: [], writes: true)
    /// What the bureau reads, viewers read too.
    static let bureauReads = AccessPolicy(roles: [.bureau, .viewer], scopes: [], writes: false)

    static func writes(_ roles: Set<Role>, scopes: Set<Scope> = []) -> AccessPolicy {
        AccessPolicy(roles: roles, scopes: scopes, writes: true)
    }

    static func reads(_ roles: Set<Role>, scopes: Set<Scope> = []) -> AccessPolicy {
        AccessPolicy(roles: roles, scopes: scopes, writes: false)
    }
}

extension RouterMethods where Context == AppContext {
    /// Registers a route behind its policy; `nil`: a public route (anyone, any credential).
    @discardableResult
    func on(
        _ method: HTTPRequest.Method, _ path: String, _ policy: AccessPolicy?,
        use handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) -> Self {
        if let policy {
            group().add(middleware: AuthorizationPolicyMiddleware(policy, deniedError: Problem.forbidden("not allowed"), context: AppContext.self))
                .on(RouterPath(path), method: method, use: handler)
        } else {
            on(RouterPath(path), method: method, use: handler)
        }
        return self
    }
}
