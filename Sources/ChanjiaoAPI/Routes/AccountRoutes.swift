import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// Sign-in, the caller's own account, self-registration and the bureau's account management.
struct AccountRoutes {
    let store: Store
    let idempotency: Idempotency
    let throttle = LoginThrottle()

    func register(on router: RouterGroup<AppContext>) {
        router.post("auth/login") { request, context in
            let (json, _) = try await HTTPBody.json(request, context: context)
            let log = ValidationLog()
            let reader = FieldReader(json, log: log)
            reader.rejectUnknown(allowed: ["username", "password"])
            let username = reader.string("username", maxLength: 64)
            let password = reader.string("password", maxLength: 128)
            try log.check()
            let name = username!.lowercased()
            try throttle.check(name)
            let session: Session
            do {
                session = try await store.login(username: name, password: password!)
            } catch let problem as Problem where problem.kind == .unauthorized {
                throttle.failed(name)
                throw problem
            }
            throttle.succeeded(name)
            return HTTPBody.response(
                json: "{\"token\":\"\(session.token)\",\"expires_at\":\"\(Timestamp.format(session.expiresAt))\",\"account\":\(session.account)}")
        }
        router.post("auth/logout") { _, context in
            try context.caller.requireSignedIn()
            if let token = context.bearerToken { try await store.logout(token: token) }
            return HTTPBody.noContent()
        }
        router.get("me") { _, context in
            try context.caller.requireSignedIn()
            return HTTPBody.response(json: try await store.account(id: context.caller.accountID!))
        }
        router.post("registrations") { request, context in
            let (json, raw) = try await HTTPBody.json(request, context: context)
            return try await idempotency.run(request, context: context, body: raw) {
                try await registration(json)
            }
        }
        router.post("accounts") { request, context in
            try context.caller.requireBureau()
            let (json, raw) = try await HTTPBody.json(request, context: context)
            return try await idempotency.run(request, context: context, body: raw) {
                let log = ValidationLog()
                let input = AccountInput.read(FieldReader(json, log: log))
                try log.check()
                let account = try await store.createAccount(input!, caller: context.caller)
                let id = try Store.id(ofJSON: account).uuidString.lowercased()
                return HTTPBody.response(.created, json: account, location: "/v1/accounts/\(id)")
            }
        }
    }

    /// `{kind, organization, account}` → the pending organization and its first account.
    private func registration(_ json: JSONValue) async throws -> Response {
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
        let (organization, created) = try await store.register(enterprise: enterprise, college: college, account: account!)
        let id = try Store.id(of: organization).uuidString.lowercased()
        return HTTPBody.response(
            .created, json: "{\"kind\":\"\(kind!)\",\"organization\":\(organization.json),\"account\":\(created)}",
            location: "/v1/\(role == .enterprise ? "enterprises" : "colleges")/\(id)")
    }
}
