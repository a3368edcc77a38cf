import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// Sign-in, the caller's own account, self-registration and the bureau's account management.
struct AccountRoutes {
    let store: Store
    let settings: AccessSettings

    func register(on router: RouterGroup<AppContext>) {
        router.on(.post, "auth/login", nil) { request, context in
            let session = try await Self.signIn(try await HTTPBody.json(request, context: context), request, context, store: store, settings: settings)
            return HTTPBody.response(
                json: "{\"token\":\"\(session.token)\",\"expires_at\":\"\(Timestamp.format(session.expiresAt))\",\"account\":\(session.account)}")
        }
        router.on(.post, "auth/logout", .anyAccount) { request, context in
            try await HTTPBody.none(request, context: context)
            if let token = context.bearerToken {
                try await store.logout(token: token, actor: WriteActor(caller: context.caller, requestID: context.id))
            }
            return HTTPBody.noContent()
        }
        router.on(.get, "me", .anyAccount) { _, context in
            HTTPBody.response(json: try await store.me(context.caller))
        }
        router.on(.post, "me/password", .anyAccount) { request, context in
            let json = try await HTTPBody.json(request, context: context)
            let log = ValidationLog()
            let reader = FieldReader(json, log: log)
            reader.rejectUnknown(allowed: ["current", "new"])
            let current = reader.secret("current")
            let new = reader.secret("new")
            try log.check()
            try await store.changeOwnPassword(
                current: current!, new: new!, address: request.clientAddress(context, trustedProxies: settings.trustedProxies),
                actor: WriteActor(caller: context.caller, requestID: context.id))
            return HTTPBody.noContent()
        }
        router.on(.post, "registrations", nil) { request, context in
            let json = try await HTTPBody.json(request, context: context)
            let (enterprise, college, account) = try Self.registration(json)
            let prefix = enterprise != nil ? "/v1/enterprises/" : "/v1/colleges/"
            return try await WriteResponder.respond(request, context, status: .created, locationPrefix: prefix, idempotentBody: json) { actor in
                try await store.register(enterprise: enterprise, college: college, account: account, actor: actor)
            }
        }
        router.on(.get, "accounts", .bureau) { request, _ in
            HTTPBody.response(try await store.accounts(try request.listRequest()))
        }
        router.on(.get, "accounts/:id", .bureau) { request, context in
            HTTPBody.response(json: try await store.account(id: try request.uuidParameter(context)))
        }
        router.on(.post, "accounts", .bureau) { request, context in
            let json = try await HTTPBody.json(request, context: context)
            let log = ValidationLog()
            let input = AccountInput.read(FieldReader(json, log: log))
            try log.check()
            return try await WriteResponder.respond(request, context, status: .created, locationPrefix: "/v1/accounts/", idempotentBody: json) { actor in
                try await store.createAccount(input!, actor: actor)
            }
        }
        for (action, disabled) in [("disable", true), ("enable", false)] {
            router.on(.post, "accounts/:id/\(action)", .bureau) { request, context in
                let id = try request.uuidParameter(context)
                try await HTTPBody.none(request, context: context)
                return try await WriteResponder.respond(request, context) { actor in
                    try await store.setDisabled(id, disabled: disabled, actor: actor)
                }
            }
        }
        router.on(.post, "accounts/:id/password", .bureau) { request, context in
            let id = try request.uuidParameter(context)
            let json = try await HTTPBody.json(request, context: context)
            let log = ValidationLog()
            let reader = FieldReader(json, log: log)
            reader.rejectUnknown(allowed: ["password"])
            let password = reader.secret("password")
            try log.check()
            try await store.resetPassword(id, password: password!, actor: WriteActor(caller: context.caller, requestID: context.id))
            return HTTPBody.noContent()
        }
        router.on(.delete, "accounts/:id/sessions", .bureau) { request, context in
            try await HTTPBody.none(request, context: context)
            try await store.revokeSessions(try request.uuidParameter(context), actor: WriteActor(caller: context.caller, requestID: context.id))
            return HTTPBody.noContent()
        }
    }

    /// `{kind, organization, account}` → the pending organization and its first account.
    static func registration(_ json: JSONValue) throws -> (EnterpriseInput?, CollegeInput?, AccountInput) {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["kind", "organization", "account"])
        let kind = reader.string("kind", maxLength: 20)
        var role: Role?
        switch kind {
        case "enterprise": role = .enterprise
        case "college": role = .college
        case nil: break
        default: log.add("kind", "must be one of: enterprise, college")
        }
        let account = reader.object("account").flatMap { AccountInput.read($0, fixedRole: role ?? .enterprise) }
        var enterprise: EnterpriseInput?
        var college: CollegeInput?
        if let organization = reader.raw("organization"), let role {
            do {
                if role == .enterprise {
                    enterprise = try EnterpriseInput.read(organization)
                    if enterprise?.usccOverride == true {
                        log.add("organization.uscc_override", "only the bureau may register a code that fails the check")
                    }
                } else {
                    college = try CollegeInput.read(organization)
                }
            } catch {
                for item in error.errors { log.add("organization.\(item.field)", item.message) }
            }
        } else if reader.raw("organization") == nil {
            log.add("organization", "is required")
        }
        try log.check()
        return (enterprise, college, account!)
    }
}

/// The access settings routes need: session lifetime and who counts as a trusted proxy.
extension AccountRoutes {
    /// Reads `{username, password}` and opens a session (`Store.login`, with its throttle by
    /// the client's address): the API's sign-in and the console's.
    static func signIn(
        _ json: JSONValue, _ request: Request, _ context: AppContext, store: Store, settings: AccessSettings
    ) async throws -> Session {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: ["username", "password"])
        let username = reader.string("username", maxLength: 64)
        let password = reader.secret("password")
        try log.check()
        return try await store.login(
            username: username!.lowercased(), password: password!,
            address: request.clientAddress(context, trustedProxies: settings.trustedProxies), lifetime: settings.sessionLifetime,
            requestID: context.id)
    }
}

struct AccessSettings: Sendable {
    var sessionLifetime: TimeInterval
    var trustedProxies: [AddressRange]
}
