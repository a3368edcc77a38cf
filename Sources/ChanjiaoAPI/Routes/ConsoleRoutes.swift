import ChanjiaoConsole
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Hummingbird

/// The bureau's console (`/console/…`): signed in with the API's accounts, pages rendered on the
/// server from the same store functions the API routes call, forms written through the same
/// input readers and write path, every route behind the same policies. What a page shows is
/// what the API would show the same caller; a form's problem is the API's, on the page.
struct ConsoleRoutes {
    let store: Store
    let console: ConsoleRenderer
    let settings: AccessSettings

    static let roles: Set<Role> = [.bureau, .county, .viewer]

    static func page(_ page: ConsolePage) -> AccessPolicy { .reads(page.roles) }

    func register(on router: Router<AppContext>) {
        registerSignIn(on: router)
        router.on(.get, "console", Self.page(.overview)) { request, context in
            try await overview(request, context)
        }
        registerApplications(on: router)
        ConsoleLedgerPages(store: store, console: console).register(on: router)
        ConsoleMatchingPages(store: store, console: console).register(on: router)
    }

    // MARK: - Sign-in

    private func registerSignIn(on router: Router<AppContext>) {
        router.on(.get, "console/login", nil) { request, context in
            if let role = context.caller.role, Self.roles.contains(role) { return HTMLBody.redirect("/console/") }
            return loginPage(request, context, username: "", problem: nil, status: .ok)
        }
        router.on(.post, "console/login", nil) { request, context in
            let form = try await ConsoleSession.rawForm(request)
            guard let expected = ConsoleSession.value(ConsoleSession.loginCookie, in: request), let sent = form["_csrf"],
                ConsoleSession.same(expected, sent)
            else {
                return loginPage(request, context, username: form["username"] ?? "", problem: Problem.forbidden("登录表单已过期，请重新登录 (the sign-in form has expired)"), status: .forbidden)
            }
            let username = form["username"] ?? ""
            do {
                let session = try await AccountRoutes.signIn(
                    form.json(["username": .text, "password": .secret]), request, context, store: store, settings: settings)
                // Enterprises, colleges and partners use the API or their own portals: their
                // session is closed at once rather than left open in a cookie.
                let caller = try await store.caller(token: session.token)
                guard let role = caller?.role, Self.roles.contains(role) else {
                    if let caller { try await store.logout(token: session.token, actor: WriteActor(caller: caller, requestID: context.id)) }
                    throw Problem.forbidden("控制台供市工信局、县区工信部门和市直部门使用 (the console is for the bureau, county officers and viewers)")
                }
                let secure = ConsoleSession.isSecure(request, context, trustedProxies: settings.trustedProxies)
                let lifetime = Int(session.expiresAt.timeIntervalSince(store.clock.now()))
                return HTMLBody.redirect(
                    Self.safeNext(form["next"]),
                    cookies: [
                        ConsoleSession.setCookie(ConsoleSession.cookie, session.token, path: "/console", maxAge: max(lifetime, 0), secure: secure),
                        ConsoleSession.setCookie(ConsoleSession.loginCookie, "", path: "/console/login", maxAge: 0, secure: secure),
                    ])
            } catch let problem as Problem {
                return loginPage(request, context, username: username, problem: problem, status: problem.status)
            }
        }
        router.on(.post, "console/logout", .reads(Self.roles)) { request, context in
            _ = try await ConsoleSession.form(request, context)
            if let token = context.bearerToken {
                try await store.logout(token: token, actor: WriteActor(caller: context.caller, requestID: context.id))
            }
            let secure = ConsoleSession.isSecure(request, context, trustedProxies: settings.trustedProxies)
            return HTMLBody.redirect(
                "/console/login", cookies: [ConsoleSession.setCookie(ConsoleSession.cookie, "", path: "/console", maxAge: 0, secure: secure)])
        }
    }

    /// The sign-in page with a fresh form token in its own cookie.
    private func loginPage(_ request: Request, _ context: AppContext, username: String, problem: Problem?, status: HTTPResponse.Status) -> Response {
        let token = Store.newSecret(prefix: "")
        var chrome = ConsoleChrome.anonymous
        chrome.nav = []
        chrome.problem = problem.map(ProblemView.init)
        let next = request.uri.queryParameters["next"].map(String.init) ?? ""
        let model: [String: Any] = ["chrome": chrome, "csrf": token, "next": Self.safeNext(next), "username": username]
        let secure = ConsoleSession.isSecure(request, context, trustedProxies: settings.trustedProxies)
        return HTMLBody.page(
            console.render("login", model), status: status,
            cookies: [ConsoleSession.setCookie(ConsoleSession.loginCookie, token, path: "/console/login", maxAge: 3600, secure: secure)])
    }

    /// Where to go after signing in: a console path of this site, never another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/console/") || next == "/console", !next.hasPrefix("//"), !next.contains("\\"),
            !next.contains("/console/login")
        else { return "/console/" }
        return next
    }

    // MARK: - Overview

    private func overview(_ request: Request, _ context: AppContext) async throws -> Response {
        _ = try request.queryParameters(allowed: [])
        let overview = try JSONValue.parse(try await store.overview())
        let view = OverviewView(overview: overview)
        let model: [String: Any] = ["chrome": ConsoleSession.chrome(context, current: .overview), "overview": view]
        return HTMLBody.page(console.render("overview", model))
    }

    // MARK: - Applications

    /// The workflow's parties among the console's roles (viewers only read).
    static let applicationMovers = AccessPolicy.writes([.county, .bureau])

    private func registerApplications(on router: Router<AppContext>) {
        router.on(.get, "console/applications", Self.page(.applications)) { request, context in
            try await applications(request, context)
        }
        router.on(.get, "console/applications/:id", Self.page(.applications)) { request, context in
            try await application(try request.uuidParameter(context), request, context, problem: nil)
        }
        router.on(.post, "console/applications/:id/transitions", Self.applicationMovers) { request, context in
            let id = try request.uuidParameter(context)
            let form = try await ConsoleSession.form(request, context)
            do {
                let action = form["action"] ?? ""
                var fields: [String: FormFields.Kind] = ["action": .text, "note": .text]
                if action == "record_decision" {
                    fields.merge(["decision.outcome": .text, "decision.decided_on": .text, "decision.document_no": .text]) { a, _ in a }
                }
                let transition = try ApplicationTransition.read(form.json(fields))
                let expected = try Self.version(form)
                _ = try await store.moveApplication(
                    id: id, transition: transition, expected: expected, actor: WriteActor(caller: context.caller, requestID: context.id))
                return HTMLBody.redirect("/console/applications/\(id.text)?done=\(transition.action)")
            } catch let problem as Problem {
                return try await application(id, request, context, problem: problem)
            }
        }
        router.on(.get, "console/applications/:id/attachments/:aid", Self.page(.applications)) { request, context in
            try await ApplicationRoutes.download(request, context, store: store)
        }
    }

    /// The form's `version` (the page's `If-Match`); none: the write takes the current version.
    static func version(_ form: FormFields) throws -> Int? {
        guard let text = form["version"], !text.isEmpty else { return nil }
        guard let version = Int(text), version > 0 else { throw Problem.badRequest("the form's version is not a version") }
        return version
    }

    /// The pipeline (applications of the year by county and stage, each count a link to the
    /// table filtered so) and the table with the list's own filters and cursor.
    private func applications(_ request: Request, _ context: AppContext) async throws -> Response {
        var list = try request.listRequest(excluding: ["done"])
        let today = ChinaDay(store.clock.now())
        if list.filters["year"] == nil { list.filters["year"] = String(today.year) }
        let page = try await store.applications(list, caller: context.caller)
        // The pipeline counts every application of the year (and level) the caller may see.
        var scope = ListRequest(limit: ListRequest.maxLimit, filters: list.filters.filter { ["year", "level"].contains($0.key) })
        var all: [JSONValue] = []
        // Bounded: a city's year has hundreds; a runaway list must not hold the request.
        repeat {
            let chunk = try await store.applications(scope, caller: context.caller)
            all += try chunk.documents()
            scope.after = chunk.nextCursor.flatMap(Cursor.decode)
        } while scope.after != nil && all.count < 20_000
        let names = try await regionNames()
        let view = ApplicationsView(
            items: try page.documents(), all: all, filters: list.filters, regionNames: names,
            nextCursor: page.nextCursor)
        let model: [String: Any] = ["chrome": ConsoleSession.chrome(context, current: .applications), "applications": view]
        return HTMLBody.page(console.render("applications", model))
    }

    /// One application: materials, attachments, cited cooperations, history, and the moves the
    /// caller's role may make from its state (none for viewers).
    private func application(_ id: UUID, _ request: Request, _ context: AppContext, problem: Problem?) async throws -> Response {
        let caller = context.caller
        let document = try await store.application(id: id, caller: caller)
        let json = try JSONValue.parse(document.json)
        let history = try await store.applicationHistory(id: id, ListRequest(limit: ListRequest.maxLimit), caller: caller)
        let attachments = try await store.attachments(applicationID: id, ListRequest(limit: ListRequest.maxLimit), caller: caller)
        var cooperations: [JSONValue] = []
        for case .string(let cited) in json.at("materials.cooperation_ids").elements {
            guard let cooperationID = UUID(uuidString: cited) else { continue }
            // A cited cooperation the caller may not read is listed by its id only.
            if let found = try? await store.cooperation(id: cooperationID, caller: caller) {
                cooperations.append(try JSONValue.parse(found.json))
            } else {
                cooperations.append(.object(["id": .string(cited)]))
            }
        }
        // Who the caller is to this application, as the store decides it for a move.
        let parties = ApplicationParty.parties(
            of: caller, enterprise: UUID(uuidString: json.string("enterprise_id")) ?? UUID(), regionCode: json.string("region_code"))
        let chrome = ConsoleSession.chrome(context, current: .applications, request: request, problem: problem)
        let view = ApplicationView(
            document: json, version: document.version, history: try history.documents(),
            attachments: try attachments.documents(), cooperations: cooperations,
            parties: parties, regionNames: try await regionNames(), today: ChinaDay(store.clock.now()).description)
        let model: [String: Any] = ["chrome": chrome, "application": view]
        return HTMLBody.page(console.render("application", model), status: problem?.status ?? .ok)
    }

    /// The region's county names by code, from the overview the API serves.
    private func regionNames() async throws -> [String: String] {
        try await Self.regionNames(store)
    }
}

extension ConsoleRoutes {
    /// The region's county names by code, from the (cached) overview the API serves.
    static func regionNames(_ store: Store) async throws -> [String: String] {
        OverviewView.regionNames(try JSONValue.parse(try await store.overview()))
    }
}
