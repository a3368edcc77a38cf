import ChanjiaoAPI
import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// The authorization matrix: every operation of the OpenAPI document the service serves,
/// against every kind of caller, each cell the status the access contract (API.md "Auth" and
/// the access issue's "who may call what") gives it. The route list comes from the document, so
/// a route added without rows here fails the test, and so does a row for a route that is gone.
///
/// Each cell asserts the authorization outcome: 401 (no credential), 403 (known but not
/// allowed), 404 (may not know the object exists), or the success status of an allowed caller.
/// Rows that would use up their record (archive, verify, delete, disable…) take a fresh one
/// whenever the previous cell succeeded, so a wrongly allowed caller cannot change later cells.
@Suite struct AuthorizationMatrixTests {
    @Test func everyRouteAgainstEveryCaller() async throws {
        // Metrics: no address is trusted, so only the bureau's credential opens them.
        try await withAPI(configure: { $0.metricsAllowed = [] }) { api async throws in
            let world = try await MatrixWorld.make(api)
            let rows = MatrixRows.all(world)
            let document = try OpenAPIRoutes(OpenAPIDocument.data)

            // The table covers the document, and only the document.
            let tableRoutes = Set(rows.map(\.route))
            for route in document.routes.keys.sorted() where !tableRoutes.contains(route) {
                Issue.record("matrix: the OpenAPI document has \(route), the matrix has no row for it")
            }
            for route in tableRoutes.sorted() where document.routes[route] == nil {
                Issue.record("matrix: a row for \(route), which the OpenAPI document does not have")
            }

            var failures = 0
            var cells = 0
            for row in rows {
                var fixture: MatrixFixture? = nil
                for caller in MatrixCaller.allCases {
                    guard let expected = row.cells.expected[caller] else {
                        Issue.record("matrix: \(row.name) has no cell for \(caller.rawValue)")
                        continue
                    }
                    let request: MatrixRequest
                    do {
                        if let fresh = row.fresh, fixture == nil { fixture = try await fresh() }
                        request = try await row.request(caller, fixture)
                    } catch {
                        failures += 1
                        Issue.record("matrix: \(row.name) — \(caller.rawValue): the cell's setup failed: \(error)")
                        continue
                    }
                    let token: String? =
                        switch request.credential {
                        case .caller: world.tokens[caller] ?? nil
                        case .token(let token): token
                        }
                    let reply = try await api.send(
                        HTTPRequest.Method(rawValue: row.method)!, request.path, token: token, json: request.json,
                        contentType: request.contentType, bytes: request.bytes)
                    let status = reply.status.code
                    cells += 1
                    // A success used the record up: the next cell gets a fresh one.
                    if (200..<300).contains(status) { fixture = nil }
                    let detail = reply.string["detail"] ?? String(reply.text.prefix(160))
                    if status != expected {
                        failures += 1
                        Issue.record("matrix: \(row.name) — \(caller.rawValue): expected \(expected), got \(status) — \(detail)")
                    } else if let documented = document.routes[row.route], !documented.contains(String(status)) {
                        failures += 1
                        Issue.record("matrix: \(row.name) — \(caller.rawValue): \(status) is not among the documented responses \(documented.sorted())")
                    }
                }
            }
            print("authorization matrix: \(rows.count) rows (\(tableRoutes.count) routes) × \(MatrixCaller.allCases.count) callers, \(cells) cells, \(failures) failed")
        }
    }

    /// "With none": a key without scopes cannot be issued, so the feed:read key stands in for
    /// "no scope that matters here" in the matrix.
    @Test func aKeyWithoutScopesIsNotIssued() async throws {
        try await withAPI { api async throws in
            let reply = try await api.post("/v1/api-keys", token: try await api.admin(), #"{"name":"nothing","scopes":[]}"#)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.errorFields == ["scopes"])
        }
    }
}

// MARK: - Callers, cells, rows

/// The matrix's columns.
enum MatrixCaller: String, CaseIterable, Sendable {
    case anonymous
    case ownEnterprise = "own enterprise"
    case otherEnterprise = "other enterprise"
    case ownCollege = "own college"
    case otherCollege = "other college"
    case countyIn = "county in"
    case countyOut = "county out"
    case bureau
    case viewer
    case partner
    case feedKey = "key feed:read"
    case talentsKey = "key talents:write"
    case programsKey = "key programs:write"
    case webhooksKey = "key webhooks:manage"
    case exportsKey = "key exports:read"

    var isKey: Bool { [.feedKey, .talentsKey, .programsKey, .webhooksKey, .exportsKey].contains(self) }
}

/// One row's cells, one per caller.
struct MatrixCells {
    /// The expected status of each caller.
    var expected: [MatrixCaller: Int]

    init(_ status: (MatrixCaller) -> Int) {
        expected = Dictionary(uniqueKeysWithValues: MatrixCaller.allCases.map { ($0, status($0)) })
    }

    /// Public: the same for everyone, with or without a credential.
    static func everyone(_ status: Int) -> MatrixCells { MatrixCells { _ in status } }

    /// Any credential, sessions of every role and keys.
    static func anyCredential(_ status: Int) -> MatrixCells {
        MatrixCells { $0 == .anonymous ? 401 : status }
    }

    /// Signed-in sessions of every role; API keys may not.
    static func sessions(_ status: Int) -> MatrixCells {
        MatrixCells { $0 == .anonymous ? 401 : $0.isKey ? 403 : status }
    }

    /// Only `allowed` (with `status`); everyone else signed in 403, anonymous 401.
    static func only(_ allowed: Set<MatrixCaller>, _ status: Int) -> MatrixCells {
        MatrixCells { $0 == .anonymous ? 401 : allowed.contains($0) ? status : 403 }
    }

    /// A public read of a record only `seers` may see: everyone else 404.
    static func seenBy(_ seers: Set<MatrixCaller>) -> MatrixCells {
        MatrixCells { seers.contains($0) ? 200 : 404 }
    }

    func but(_ callers: Set<MatrixCaller>, _ status: Int) -> MatrixCells {
        var copy = self
        for caller in callers { copy.expected[caller] = status }
        return copy
    }
}

/// A record made for one row (and remade after each cell that used it up).
struct MatrixFixture {
    var id: String
    /// The username of the organization's own account, when the record is a fresh organization.
    var owner: String? = nil

    var pair: (String, String) { (id, owner ?? "") }
}

struct MatrixRequest {
    enum Credential { case caller, token(String?) }
    var path: String
    var json: String? = nil
    /// A raw body (an attachment) instead of JSON, with its media type.
    var bytes: [UInt8]? = nil
    var contentType = "application/json"
    /// The caller's own credential, or another one (a fresh organization's account, a fresh session).
    var credential: Credential = .caller
}

struct MatrixRow {
    /// "METHOD /path" exactly as the OpenAPI document names it.
    var route: String
    /// What sets this row apart from the route's other rows (a record's state), or "".
    var variant: String
    var cells: MatrixCells
    var fresh: (() async throws -> MatrixFixture)?
    var request: (MatrixCaller, MatrixFixture?) async throws -> MatrixRequest

    var method: String { String(route.prefix { $0 != " " }) }
    var name: String { variant.isEmpty ? route : "\(route) [\(variant)]" }
}

/// The operations of the OpenAPI document: "METHOD /path" → its documented response codes.
struct OpenAPIRoutes {
    var routes: [String: Set<String>] = [:]

    init(_ data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let paths = root["paths"] as? [String: Any], !paths.isEmpty
        else { throw TestSetupError("the OpenAPI document has no paths") }
        let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        for (path, item) in paths {
            guard let operations = item as? [String: Any] else { continue }
            for method in methods {
                guard let operation = operations[method] as? [String: Any] else { continue }
                let responses = (operation["responses"] as? [String: Any]).map { Set($0.keys) } ?? []
                routes["\(method.uppercased()) \(path)"] = responses
            }
        }
    }
}

// MARK: - The world the matrix runs in

/// The callers' credentials and the records the rows act on, made once before the matrix.
final class MatrixWorld {
    let api: TestAPI
    /// Every fresh account's password (10+ characters, never containing the username).
    let password = "Matrix-Pass-2718"
    var tokens: [MatrixCaller: String?] = [:]
    var usernames: [MatrixCaller: (String, String)] = [:]
    var counter = 0

    var admin = ""
    var zyyl = ""  // 中原冶炼厂 (ent-zyyl), in 411202
    var smxzy = ""  // 三门峡职业技术学院 (col-smxzy), in 411202
    var zyylAccount = ""
    var targetAccount = ""
    var feedKeyID = ""
    var program = ""  // published, of col-smxzy
    var draftProgram = ""
    var demand = ""  // open, of ent-zyyl
    var archivedDemand = ""
    var talent = ""  // talent-web's, consenting to share
    var hiddenTalent = ""  // talent-web's, not consenting
    var foreignTalent = ""  // another source's (the bureau's upload), consenting
    let putExternalID = "MX-PUT"
    var pendingEnterprise = MatrixFixture(id: "")
    var pendingCollege = MatrixFixture(id: "")
    var matchRun = ""
    var coopDemand = ""  // open, of ent-zyyl, order class, room for every cell's seat
    var cooperation = ""  // proposed by ent-zyyl to col-smxzy
    var secondBureau = ""  // another bureau account's token: it records payments the bureau confirms
    var application = ""  // ent-zyyl's provincial draft, with one attachment
    var attachment = ""
    var certificationID = ""  // ent-zyyl's, with its reward
    var reward = ""
    var webhook = ""  // the webhooks:manage key's
    var webhookDelivery = ""  // one of its deliveries
    /// Each fresh application takes a year of its own (one open application per level and year).
    var year = 2030

    init(api: TestAPI) { self.api = api }

    func nextYear() -> Int {
        year += 1
        return year
    }

    var certification: CertificationFixtures {
        CertificationFixtures(api: api, enterprise: (tokens[.ownEnterprise] ?? nil) ?? "", county: (tokens[.countyIn] ?? nil) ?? "", bureau: admin)
    }

    func next() -> Int {
        counter += 1
        return counter
    }

    static func make(_ api: TestAPI) async throws -> MatrixWorld {
        let w = MatrixWorld(api: api)
        w.admin = try await api.admin()
        _ = try await w.must(.post, "/v1/accounts", #"{"username":"mx-viewer","password":"\#(w.password)","role":"viewer"}"#, .created)
        let demo = TestDatabase.demoPassword
        w.usernames = [
            .ownEnterprise: ("ent-zyyl", demo), .otherEnterprise: ("ent-lbhj", demo),
            .ownCollege: ("col-smxzy", demo), .otherCollege: ("col-smxsg", demo),
            .countyIn: ("county-411202", demo), .countyOut: ("county-411282", demo),
            .bureau: ("admin", TestDatabase.adminPassword), .viewer: ("mx-viewer", w.password), .partner: ("talent-web", demo),
        ]
        w.tokens[.anonymous] = .some(nil)
        for (caller, (username, password)) in w.usernames { w.tokens[caller] = try await api.login(username, password) }

        w.zyyl = try await api.id("enterprises", where: "name", is: "中原冶炼厂")
        w.smxzy = try await api.id("colleges", where: "name", is: "三门峡职业技术学院")
        w.zyylAccount = try await w.must(.get, "/v1/me", nil, .ok, as: .ownEnterprise).string["id"] ?? ""
        w.targetAccount = try await w.account()

        for (caller, body) in [
            (MatrixCaller.feedKey, #"{"name":"matrix feed","scopes":["feed:read"]}"#),
            (.talentsKey, #"{"name":"matrix talents","scopes":["talents:write"],"source":"talent-web"}"#),
            (.programsKey, #"{"name":"matrix programs","scopes":["programs:write"],"organization_id":"\#(w.smxzy)"}"#),
            (.webhooksKey, #"{"name":"matrix webhooks","scopes":["webhooks:manage"]}"#),
            (.exportsKey, #"{"name":"matrix exports","scopes":["exports:read"]}"#),
        ] {
            let created = try await w.must(.post, "/v1/api-keys", body, .created)
            guard let key = created.string["key"], key.hasPrefix("cjk_") else { throw TestSetupError("no key in \(created.text)") }
            w.tokens[caller] = key
            if caller == .feedKey { w.feedKeyID = created.string["id"] ?? "" }
        }

        w.program = try await w.newProgram()
        w.draftProgram = try await w.newProgram(status: "draft")
        w.demand = try await w.newDemand()
        w.archivedDemand = try await w.newDemand()
        _ = try await w.must(.post, "/v1/demands/\(w.archivedDemand)/archive", nil, .ok, as: .ownEnterprise)
        w.talent = try await w.newTalent()
        w.hiddenTalent = try await w.newTalent(share: false)
        w.foreignTalent = try await w.must(.post, "/v1/talents", w.talentBody("MX-FOREIGN", source: "other-site"), .created).string["id"] ?? ""
        _ = try await w.must(.put, "/v1/talents/by-external-id/talent-web/\(w.putExternalID)", w.talentBody(w.putExternalID), .created, as: .partner)
        w.coopDemand = try await w.must(
            .post, "/v1/demands",
            w.demandBody().replacingOccurrences(of: "\"employment\"", with: "\"order_class\"").replacingOccurrences(of: "\"headcount\":5", with: "\"headcount\":1000"),
            .created, as: .ownEnterprise
        ).string["id"] ?? ""
        w.cooperation = try await w.newCooperation()
        _ = try await w.must(.post, "/v1/accounts", #"{"username":"mx-bureau2","password":"\#(w.password)","role":"bureau"}"#, .created)
        w.secondBureau = try await api.login("mx-bureau2", w.password)
        w.application = try await w.certification.application(year: w.nextYear())
        w.attachment = try await w.newAttachment(w.application)
        (_, w.certificationID, w.reward) = try await w.certification.certified(year: w.nextYear())
        _ = try await w.must(.put, "/v1/targets/2027/411202", w.targetBody, .created)
        _ = try await w.must(.put, "/v1/quotas/2026/provincial/411202", #"{"recommendations":5}"#, .created)
        w.pendingEnterprise = try await w.organization("enterprise", "pending")
        w.pendingCollege = try await w.organization("college", "pending")

        (w.webhook, w.webhookDelivery) = try await w.newWebhook().pair

        // A run that selects nothing finishes at once; its gaps need it done.
        let run = try await w.must(.post, "/v1/match-runs", #"{"region_code":"11"}"#, .accepted)
        w.matchRun = run.string["id"] ?? ""
        var status = run.string["status"]
        for _ in 0..<200 where status != "done" && status != "failed" {
            try await Task.sleep(for: .milliseconds(25))
            status = try await w.must(.get, "/v1/match-runs/\(w.matchRun)", nil, .ok).string["status"]
        }
        guard status == "done" else { throw TestSetupError("match run \(w.matchRun) is \(status ?? "?")") }
        return w
    }

    /// A setup request that must succeed; as the bureau unless told otherwise.
    @discardableResult
    func must(
        _ method: HTTPRequest.Method, _ path: String, _ json: String?, _ status: HTTPResponse.Status,
        as caller: MatrixCaller = .bureau
    ) async throws -> Reply {
        let token = caller == .bureau && !admin.isEmpty ? admin : (tokens[caller] ?? nil)
        let reply = try await api.send(method, path, token: token, json: json)
        guard reply.status == status else {
            throw TestSetupError("setup \(method) \(path) as \(caller.rawValue): \(reply.status) \(reply.text)")
        }
        return reply
    }

    func login(_ username: String?) async throws -> String {
        guard let username else { throw TestSetupError("a fixture without its own account") }
        return try await api.login(username, password)
    }

    /// A new session of the caller's account (for rows that end it); keys and anonymous as they are.
    func freshSession(_ caller: MatrixCaller) async throws -> MatrixRequest.Credential {
        guard let account = usernames[caller] else { return .caller }
        return .token(try await api.login(account.0, account.1))
    }

    /// The fresh organization's own account for its own side, everyone else as they are.
    func acting(_ caller: MatrixCaller, _ own: MatrixCaller, _ fixture: MatrixFixture?) async throws -> MatrixRequest.Credential {
        caller == own ? .token(try await login(fixture?.owner)) : .caller
    }

    // MARK: Records

    func uscc(_ n: Int) -> String {
        USCC.withCheckCharacters("91411202MX" + String(format: "%06d", n))!
    }

    func enterpriseBody() -> String {
        let n = next()
        return #"{"name":"矩阵测试企业\#(n)","uscc":"\#(uscc(n))","region_code":"411202","size":"small"}"#
    }

    func collegeBody() -> String {
        #"{"name":"矩阵测试学院\#(next())","kind":"training_center","region_code":"411202"}"#
    }

    func registrationBody(_ kind: String) -> (body: String, username: String) {
        let organization = kind == "enterprise" ? enterpriseBody() : collegeBody()
        let username = "mx-\(kind == "enterprise" ? "ent" : "col")-\(next())"
        return (
            #"{"kind":"\#(kind)","organization":\#(organization),"account":{"username":"\#(username)","password":"\#(password)"}}"#,
            username
        )
    }

    /// A new organization of `kind` in 411202 with its own account, brought to `state`.
    func organization(_ kind: String, _ state: String) async throws -> MatrixFixture {
        let (body, username) = registrationBody(kind)
        let registered = try await api.post("/v1/registrations", body)
        guard registered.status == .created, case .object(let organization)? = registered["organization"],
            case .string(let id)? = organization["id"]
        else { throw TestSetupError("registration: \(registered.status) \(registered.text)") }
        let base = "/v1/\(kind == "enterprise" ? "enterprises" : "colleges")/\(id)"
        switch state {
        case "pending": break
        case "rejected": try await must(.post, "\(base)/reject", #"{"reason":"材料不全"}"#, .ok)
        case "active": try await must(.post, "\(base)/verify", nil, .ok)
        case "suspended":
            try await must(.post, "\(base)/verify", nil, .ok)
            try await must(.post, "\(base)/suspend", #"{"reason":"停业整顿"}"#, .ok)
        default: throw TestSetupError("no organization state \(state)")
        }
        return MatrixFixture(id: id, owner: username)
    }

    func programBody(status: String = "published") -> String {
        #"{"college_id":"\#(smxzy)","title":"矩阵测试项目\#(next())","specialty_code":"430501","level":"associate","skills":[{"code":"MET-001","level":4},{"code":"SAF-002","level":3}],"capacity":40,"modes":["order_class","internship"],"region_code":"411202","starts_on":"2027-09-01","ends_on":"2028-07-01","status":"\#(status)"}"#
    }

    func newProgram(status: String = "published") async throws -> String {
        try await must(.post, "/v1/programs", programBody(status: status), .created, as: .ownCollege).string["id"] ?? ""
    }

    func demandBody() -> String {
        #"{"enterprise_id":"\#(zyyl)","title":"矩阵测试需求\#(next())","occupation_code":"6-17-04-01","skills":[{"code":"MET-001","level":3,"weight":2}],"headcount":5,"min_level":"secondary","mode":"employment","region_code":"411202"}"#
    }

    /// A proposal of one seat from ent-zyyl's order-class demand to col-smxzy's program.
    func cooperationBody() -> String {
        #"{"demand_id":"\#(coopDemand)","program_id":"\#(program)","mode":"order_class","seats":1}"#
    }

    /// A fresh cooperation, proposed by the enterprise (and accepted by the college when asked).
    func newCooperation(accepted: Bool = false) async throws -> String {
        let id = try await must(.post, "/v1/cooperations", cooperationBody(), .created, as: .ownEnterprise).string["id"] ?? ""
        if accepted { try await must(.post, "/v1/cooperations/\(id)/accept", nil, .ok, as: .ownCollege) }
        return id
    }

    func newDemand() async throws -> String {
        try await must(.post, "/v1/demands", demandBody(), .created, as: .ownEnterprise).string["id"] ?? ""
    }

    func talentBody(_ externalID: String, source: String = "talent-web", share: Bool = true) -> String {
        #"{"source":"\#(source)","external_id":"\#(externalID)","name":"王矩阵","phone":"13900001234","skills":[{"code":"MET-001","level":3}],"education_level":"associate","desired_occupation_codes":["6-17-04-01"],"region_codes":["411202"],"consent":{"share_with_enterprises":\#(share),"given_at":"2026-01-01T00:00:00Z"}}"#
    }

    func newTalent(share: Bool = true) async throws -> String {
        try await must(.post, "/v1/talents", talentBody("MX-\(next())", share: share), .created, as: .partner).string["id"] ?? ""
    }

    /// A throwaway account of ent-zyyl's enterprise, enabled or disabled.
    func account(disabled: Bool = false) async throws -> String {
        let body = #"{"username":"mx-acct-\#(next())","password":"\#(password)","role":"enterprise","organization_id":"\#(zyyl)"}"#
        let id = try await must(.post, "/v1/accounts", body, .created).string["id"] ?? ""
        if disabled { try await must(.post, "/v1/accounts/\(id)/disable", nil, .ok) }
        return id
    }

    let targetBody = #"{"submitted":3,"certified":1,"deadline":"2027-12-31","responsible":{"name":"李明","title":"湖滨区工信局局长","phone":"13800001111"}}"#

    func newAttachment(_ application: String) async throws -> String {
        let reply = try await api.send(
            .post, "/v1/applications/\(application)/attachments?filename=%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf", token: (tokens[.ownEnterprise] ?? nil),
            contentType: "application/pdf", bytes: CertificationFixtures.pdf)
        guard reply.status == .created, let id = reply.string["id"] else { throw TestSetupError("attachment: \(reply.status) \(reply.text)") }
        return id
    }

    /// A fresh application of ent-zyyl in `state`, in a year of its own.
    func newApplication(_ state: String) async throws -> MatrixFixture {
        MatrixFixture(id: try await certification.application(year: nextYear(), state: state))
    }

    /// A fresh certification and its reward (the reward's id as `owner`), the reward brought to `reward`.
    func newReward(_ reward: String = "pending") async throws -> MatrixFixture {
        let made = try await certification.certified(year: nextYear())
        if reward == "disbursing" {
            let reply = try await api.send(
                .post, "/v1/rewards/\(made.reward)/disburse", token: secondBureau, json: #"{"paid_on":"2026-11-20","voucher_no":"MX-\#(next())"}"#)
            guard reply.status == .ok else { throw TestSetupError("disburse: \(reply.status) \(reply.text)") }
        }
        return MatrixFixture(id: made.certification, owner: made.reward)
    }

    /// A subscription of the webhooks:manage key (to a public address nothing answers here),
    /// with one delivery to retry.
    func newWebhook() async throws -> MatrixFixture {
        let id = try await must(
            .post, "/v1/webhooks", #"{"url":"https://93.184.216.34/matrix","events":["program.created"]}"#, .created, as: .webhooksKey
        ).string["id"] ?? ""
        let rows = try await api.store.client.query(
            """
            INSERT INTO webhook_deliveries (webhook_id, event_id, type, body, status)
            VALUES (\(UUID(uuidString: id)!), \(Int64(next())), 'program.created', '{}', 'failed') RETURNING id::text
            """
        ).decode(String.self)
        var delivery = ""
        for try await value in rows { delivery = value }
        return MatrixFixture(id: id, owner: delivery)
    }

    func apiKey() async throws -> String {
        try await must(.post, "/v1/api-keys", #"{"name":"matrix throwaway","scopes":["feed:read"]}"#, .created).string["id"] ?? ""
    }
}

// MARK: - The table

enum MatrixRows {
    static func all(_ w: MatrixWorld) -> [MatrixRow] {
        var rows: [MatrixRow] = []
        func row(
            _ route: String, variant: String = "", _ cells: MatrixCells,
            fresh: (() async throws -> MatrixFixture)? = nil,
            _ request: @escaping (MatrixCaller, MatrixFixture?) async throws -> MatrixRequest
        ) {
            rows.append(MatrixRow(route: route, variant: variant, cells: cells, fresh: fresh, request: request))
        }
        func get(_ route: String, variant: String = "", _ cells: MatrixCells, _ path: String) {
            row(route, variant: variant, cells) { _, _ in MatrixRequest(path: path) }
        }

        let bureauOnly = { (status: Int) in MatrixCells.only([.bureau], status) }
        let bureauReads = MatrixCells.only([.bureau, .viewer], 200)

        // Operations.
        get("GET /health/live", .everyone(200), "/health/live")
        get("GET /health/ready", .everyone(200), "/health/ready")
        // No trusted address configured: only a bureau credential (API.md; the access issue's headers section).
        get("GET /metrics", bureauOnly(200).but([.anonymous], 403), "/metrics")
        get("GET /openapi.json", .everyone(200), "/openapi.json")

        // Sign-in and the caller's own account.
        row("POST /v1/auth/login", .everyone(200)) { _, _ in
            MatrixRequest(path: "/v1/auth/login", json: #"{"username":"ent-swq","password":"\#(TestDatabase.demoPassword)"}"#)
        }
        // Signing out ends the session: each session caller signs out a fresh one. A key is no sign-in.
        row("POST /v1/auth/logout", .sessions(204)) { caller, _ in
            MatrixRequest(path: "/v1/auth/logout", credential: try await w.freshSession(caller))
        }
        get("GET /v1/me", .sessions(200), "/v1/me")
        // A wrong `current` is the allowed caller's 422 (nothing changes); keys may not.
        row("POST /v1/me/password", .sessions(422)) { _, _ in
            MatrixRequest(path: "/v1/me/password", json: #"{"current":"not-the-password-1","new":"Another-Pass-3141"}"#)
        }
        row("POST /v1/registrations", .everyone(201)) { _, _ in
            MatrixRequest(path: "/v1/registrations", json: w.registrationBody("enterprise").body)
        }

        // Accounts: the bureau's.
        get("GET /v1/accounts", bureauOnly(200), "/v1/accounts")
        row("POST /v1/accounts", bureauOnly(201)) { _, _ in
            MatrixRequest(path: "/v1/accounts", json: #"{"username":"mx-county-\#(w.next())","password":"\#(w.password)","role":"county","region_code":"411221"}"#)
        }
        // ent-zyyl's own account: its own enterprise may still not read it here.
        get("GET /v1/accounts/{id}", bureauOnly(200), "/v1/accounts/\(w.zyylAccount)")
        row("POST /v1/accounts/{id}/disable", bureauOnly(200), fresh: { MatrixFixture(id: try await w.account()) }) { _, f in
            MatrixRequest(path: "/v1/accounts/\(f!.id)/disable")
        }
        row("POST /v1/accounts/{id}/enable", bureauOnly(200), fresh: { MatrixFixture(id: try await w.account(disabled: true)) }) { _, f in
            MatrixRequest(path: "/v1/accounts/\(f!.id)/enable")
        }
        row("POST /v1/accounts/{id}/password", bureauOnly(204)) { _, _ in
            MatrixRequest(path: "/v1/accounts/\(w.targetAccount)/password", json: #"{"password":"Reset-Pass-\#(w.next())-x"}"#)
        }
        row("DELETE /v1/accounts/{id}/sessions", bureauOnly(204)) { _, _ in
            MatrixRequest(path: "/v1/accounts/\(w.targetAccount)/sessions")
        }

        // Partner API keys and the audit log: the bureau's.
        get("GET /v1/api-keys", bureauOnly(200), "/v1/api-keys")
        row("POST /v1/api-keys", bureauOnly(201)) { _, _ in
            MatrixRequest(path: "/v1/api-keys", json: #"{"name":"matrix \#(w.next())","scopes":["exports:read"]}"#)
        }
        get("GET /v1/api-keys/{id}", bureauOnly(200), "/v1/api-keys/\(w.feedKeyID)")
        row("DELETE /v1/api-keys/{id}", bureauOnly(204), fresh: { MatrixFixture(id: try await w.apiKey()) }) { _, f in
            MatrixRequest(path: "/v1/api-keys/\(f!.id)")
        }
        get("GET /v1/audit-events", bureauOnly(200), "/v1/audit-events")

        // Enterprises and colleges: the same rules, each with its own side.
        for (kind, plural, own, other) in [
            ("enterprise", "enterprises", MatrixCaller.ownEnterprise, MatrixCaller.otherEnterprise),
            ("college", "colleges", MatrixCaller.ownCollege, MatrixCaller.otherCollege),
        ] {
            let base = "/v1/\(plural)"
            let mine = kind == "enterprise" ? w.zyyl : w.smxzy
            let pending = kind == "enterprise" ? w.pendingEnterprise : w.pendingCollege
            get("GET \(base)", .everyone(200), base)
            row("POST \(base)", bureauOnly(201)) { _, _ in
                MatrixRequest(path: base, json: kind == "enterprise" ? w.enterpriseBody() : w.collegeBody())
            }
            get("GET \(base)/{id}", .everyone(200), "\(base)/\(mine)")
            // A pending organization: itself, its county, the bureau and viewers.
            row("GET \(base)/{id}", variant: "pending", .seenBy([own, .countyIn, .bureau, .viewer])) { caller, _ in
                MatrixRequest(path: "\(base)/\(pending.id)", credential: try await w.acting(caller, own, pending))
            }
            // A field that is not identity, so the verified organization itself may change it.
            let patch = #"{"address":"河南省三门峡市湖滨区矩阵路1号"}"#
            row("PATCH \(base)/{id}", .only([own, .bureau], 200)) { _, _ in
                MatrixRequest(path: "\(base)/\(mine)", json: patch)
            }
            // Hidden from the other organization of the same kind, whose role could patch its own: 404.
            row("PATCH \(base)/{id}", variant: "pending", .only([own, .bureau], 200).but([other], 404)) { caller, _ in
                MatrixRequest(path: "\(base)/\(pending.id)", json: patch, credential: try await w.acting(caller, own, pending))
            }
            row("POST \(base)/{id}/archive", .only([own, .bureau], 200), fresh: { try await w.organization(kind, "active") }) { caller, f in
                MatrixRequest(path: "\(base)/\(f!.id)/archive", credential: try await w.acting(caller, own, f))
            }
            let moves: [(String, String, String?)] = [
                ("verify", "pending", nil), ("reject", "pending", #"{"reason":"材料不全"}"#),
                ("suspend", "active", #"{"reason":"停业整顿"}"#), ("reinstate", "suspended", nil),
            ]
            for (move, from, body) in moves {
                row("POST \(base)/{id}/\(move)", bureauOnly(200), fresh: { try await w.organization(kind, from) }) { caller, f in
                    MatrixRequest(path: "\(base)/\(f!.id)/\(move)", json: body, credential: try await w.acting(caller, own, f))
                }
            }
            // Its own accounts only, the bureau neither; a rejected organization is hidden from the other one.
            row("POST \(base)/{id}/resubmit", .only([own], 200).but([other], 404), fresh: { try await w.organization(kind, "rejected") }) { caller, f in
                MatrixRequest(path: "\(base)/\(f!.id)/resubmit", credential: try await w.acting(caller, own, f))
            }
        }

        // Programs: the college (accounts, or a programs:write key bound to it) and the bureau.
        let programWriters: Set<MatrixCaller> = [.ownCollege, .bureau, .programsKey]
        get("GET /v1/programs", .everyone(200), "/v1/programs")
        row("POST /v1/programs", .only(programWriters, 201)) { _, _ in MatrixRequest(path: "/v1/programs", json: w.programBody()) }
        get("GET /v1/programs/{id}", .everyone(200), "/v1/programs/\(w.program)")
        get("GET /v1/programs/{id}", variant: "draft", .seenBy(programWriters.union([.viewer])), "/v1/programs/\(w.draftProgram)")
        row("PATCH /v1/programs/{id}", .only(programWriters, 200)) { _, _ in
            MatrixRequest(path: "/v1/programs/\(w.program)", json: #"{"capacity":41}"#)
        }
        row("PATCH /v1/programs/{id}", variant: "draft", .only(programWriters, 200).but([.otherCollege], 404)) { _, _ in
            MatrixRequest(path: "/v1/programs/\(w.draftProgram)", json: #"{"capacity":42}"#)
        }
        row("POST /v1/programs/{id}/archive", .only(programWriters, 200), fresh: { MatrixFixture(id: try await w.newProgram()) }) { _, f in
            MatrixRequest(path: "/v1/programs/\(f!.id)/archive")
        }
        get("GET /v1/programs/{id}/matches", .only([.ownCollege, .bureau, .viewer, .programsKey], 200), "/v1/programs/\(w.program)/matches")

        // Demand: the enterprise's accounts and the bureau; no key scope writes demand.
        get("GET /v1/demands", .everyone(200), "/v1/demands")
        row("POST /v1/demands", .only([.ownEnterprise, .bureau], 201)) { _, _ in MatrixRequest(path: "/v1/demands", json: w.demandBody()) }
        get("GET /v1/demands/{id}", .everyone(200), "/v1/demands/\(w.demand)")
        get("GET /v1/demands/{id}", variant: "archived", .seenBy([.ownEnterprise, .countyIn, .bureau, .viewer]), "/v1/demands/\(w.archivedDemand)")
        row("PATCH /v1/demands/{id}", .only([.ownEnterprise, .bureau], 200)) { _, _ in
            MatrixRequest(path: "/v1/demands/\(w.demand)", json: #"{"headcount":6}"#)
        }
        row("POST /v1/demands/{id}/archive", .only([.ownEnterprise, .bureau], 200), fresh: { MatrixFixture(id: try await w.newDemand()) }) { _, f in
            MatrixRequest(path: "/v1/demands/\(f!.id)/archive")
        }
        get("GET /v1/demands/{id}/matches", .only([.ownEnterprise, .bureau, .viewer], 200), "/v1/demands/\(w.demand)/matches")

        // Talents: any credential reads (consent narrows); the source partner (account or
        // talents:write key of that source) and the bureau write.
        let talentWriters: Set<MatrixCaller> = [.partner, .bureau, .talentsKey]
        let talentSeers = talentWriters.union([.viewer])
        get("GET /v1/talents", .anyCredential(200), "/v1/talents")
        row("POST /v1/talents", .only(talentWriters, 201)) { _, _ in
            MatrixRequest(path: "/v1/talents", json: w.talentBody("MX-\(w.next())"))
        }
        // Talents are never public: a key sees those of its own source only (an unbound key none).
        let unboundKeys: Set<MatrixCaller> = [.feedKey, .programsKey, .webhooksKey, .exportsKey]
        get("GET /v1/talents/{id}", MatrixCells.anyCredential(200).but(unboundKeys, 404), "/v1/talents/\(w.talent)")
        get("GET /v1/talents/{id}", variant: "no consent", MatrixCells.seenBy(talentSeers).but([.anonymous], 401), "/v1/talents/\(w.hiddenTalent)")
        // Another source's consenting profile: partners and keys see their own source's only.
        get("GET /v1/talents/{id}", variant: "other source",
            MatrixCells.anyCredential(200).but(unboundKeys.union([.partner, .talentsKey]), 404), "/v1/talents/\(w.foreignTalent)")
        row("PATCH /v1/talents/{id}", .only(talentWriters, 200)) { _, _ in
            MatrixRequest(path: "/v1/talents/\(w.talent)", json: #"{"available_from":"2027-03-01"}"#)
        }
        row("DELETE /v1/talents/{id}", .only(talentWriters, 204), fresh: { MatrixFixture(id: try await w.newTalent()) }) { _, f in
            MatrixRequest(path: "/v1/talents/\(f!.id)")
        }
        let upsert = "PUT /v1/talents/by-external-id/{source}/{external_id}"
        row(upsert, .only(talentWriters, 200)) { _, _ in
            MatrixRequest(path: "/v1/talents/by-external-id/talent-web/\(w.putExternalID)", json: w.talentBody(w.putExternalID))
        }
        // Another source: only the bureau (it creates); talent-web's account and key may not.
        row(upsert, variant: "other source", .only([.bureau], 201)) { _, _ in
            let id = "MX-\(w.next())"
            return MatrixRequest(path: "/v1/talents/by-external-id/other-site/\(id)", json: w.talentBody(id, source: "other-site"))
        }
        // By the partner's own key: talent-web's account and key, or the bureau; another source's
        // profile only the bureau.
        let eraseByKey = "DELETE /v1/talents/by-external-id/{source}/{external_id}"
        row(eraseByKey, .only(talentWriters, 204), fresh: {
            let id = "MX-\(w.next())"
            _ = try await w.must(.post, "/v1/talents", w.talentBody(id), .created, as: .partner)
            return MatrixFixture(id: id)
        }) { _, f in MatrixRequest(path: "/v1/talents/by-external-id/talent-web/\(f!.id)") }
        row(eraseByKey, variant: "other source", .only([.bureau], 204), fresh: {
            let id = "MX-\(w.next())"
            _ = try await w.must(.post, "/v1/talents", w.talentBody(id, source: "other-site"), .created)
            return MatrixFixture(id: id)
        }) { _, f in MatrixRequest(path: "/v1/talents/by-external-id/other-site/\(f!.id)") }
        get("GET /v1/talents/{id}/matches", MatrixCells.only(talentSeers, 200).but(unboundKeys, 404), "/v1/talents/\(w.talent)/matches")
        get("GET /v1/talents/{id}/matches", variant: "other source",
            MatrixCells.only([.bureau, .viewer], 200).but(unboundKeys.union([.partner, .talentsKey]), 404), "/v1/talents/\(w.foreignTalent)/matches")
        get("GET /v1/talents/{id}/matches", variant: "no consent", MatrixCells.seenBy(talentSeers).but([.anonymous], 401), "/v1/talents/\(w.hiddenTalent)/matches")

        // Match runs: the bureau runs them; it and viewers read them.
        get("GET /v1/match-runs", bureauReads, "/v1/match-runs")
        row("POST /v1/match-runs", bureauOnly(202)) { _, _ in MatrixRequest(path: "/v1/match-runs", json: #"{"region_code":"11"}"#) }
        get("GET /v1/match-runs/{id}", bureauReads, "/v1/match-runs/\(w.matchRun)")
        get("GET /v1/match-runs/{id}/assignments", bureauReads, "/v1/match-runs/\(w.matchRun)/assignments")
        get("GET /v1/match-runs/{id}/gaps", bureauReads, "/v1/match-runs/\(w.matchRun)/gaps")

        // Reference data: public.
        get("GET /v1/regions", .everyone(200), "/v1/regions")
        get("GET /v1/regions/{code}", .everyone(200), "/v1/regions/411202")
        get("GET /v1/taxonomy/skills", .everyone(200), "/v1/taxonomy/skills")
        get("GET /v1/taxonomy/skills/{code}", .everyone(200), "/v1/taxonomy/skills/MET-001")
        get("GET /v1/taxonomy/specialties", .everyone(200), "/v1/taxonomy/specialties")
        get("GET /v1/taxonomy/specialties/{code}", .everyone(200), "/v1/taxonomy/specialties/430501")
        get("GET /v1/taxonomy/occupations", .everyone(200), "/v1/taxonomy/occupations")
        get("GET /v1/taxonomy/occupations/{code}", .everyone(200), "/v1/taxonomy/occupations/6-17-04-01")

        // Cooperations (ent-zyyl's demand, col-smxzy's program, both in 411202): the two sides
        // propose and move them as the workflow says; their county, the bureau and viewers read.
        let coopReaders: Set<MatrixCaller> = [.ownEnterprise, .otherEnterprise, .ownCollege, .otherCollege, .countyIn, .countyOut, .bureau, .viewer]
        func coopMove(_ allowed: Set<MatrixCaller>, _ status: Int) -> MatrixCells {
            MatrixCells { caller in
                if caller == .anonymous { return 401 }
                if allowed.contains(caller) { return status }
                return [.otherEnterprise, .otherCollege].contains(caller) ? 404 : 403
            }
        }
        get("GET /v1/cooperations", .only(coopReaders, 200), "/v1/cooperations")
        get("GET /v1/cooperations/{id}", MatrixCells.only(coopReaders, 200).but([.otherEnterprise, .otherCollege, .countyOut], 404),
            "/v1/cooperations/\(w.cooperation)")
        row("POST /v1/cooperations", .only([.ownEnterprise, .ownCollege], 201)) { _, _ in
            MatrixRequest(path: "/v1/cooperations", json: w.cooperationBody())
        }
        row("POST /v1/cooperations/{id}/accept", coopMove([.ownCollege], 200), fresh: { MatrixFixture(id: try await w.newCooperation()) }) { _, f in
            MatrixRequest(path: "/v1/cooperations/\(f!.id)/accept")
        }
        row("POST /v1/cooperations/{id}/decline", coopMove([.ownCollege], 200), fresh: { MatrixFixture(id: try await w.newCooperation()) }) { _, f in
            MatrixRequest(path: "/v1/cooperations/\(f!.id)/decline")
        }
        row("POST /v1/cooperations/{id}/withdraw", coopMove([.ownEnterprise], 200), fresh: { MatrixFixture(id: try await w.newCooperation()) }) { _, f in
            MatrixRequest(path: "/v1/cooperations/\(f!.id)/withdraw")
        }
        row("POST /v1/cooperations/{id}/complete", coopMove([.ownCollege], 200), fresh: { MatrixFixture(id: try await w.newCooperation(accepted: true)) }) { _, f in
            MatrixRequest(path: "/v1/cooperations/\(f!.id)/complete", json: #"{"completed_on":"2027-07-01","trainees":1}"#)
        }
        row("POST /v1/cooperations/{id}/terminate", coopMove([.ownEnterprise, .ownCollege], 200), fresh: { MatrixFixture(id: try await w.newCooperation(accepted: true)) }) { _, f in
            MatrixRequest(path: "/v1/cooperations/\(f!.id)/terminate", json: #"{"note":"矩阵终止"}"#)
        }
        certificationRows(w, row: row, get: get)
        return rows
    }
}

extension MatrixRows {
    /// Applications (ent-zyyl's, in 411202), certifications, rewards and the supervision routes.
    static func certificationRows(
        _ w: MatrixWorld,
        row: (String, String, MatrixCells, (() async throws -> MatrixFixture)?, @escaping (MatrixCaller, MatrixFixture?) async throws -> MatrixRequest) -> Void,
        get: (String, String, MatrixCells, String) -> Void
    ) {
        let bureauOnly = MatrixCells.only([.bureau], 200)
        // Readers of ent-zyyl's applications: itself, its county, the bureau and viewers; the
        // other enterprise and the other county may read applications but not these.
        let appReaders: Set<MatrixCaller> = [.ownEnterprise, .otherEnterprise, .countyIn, .countyOut, .bureau, .viewer]
        let seesApp = MatrixCells.only(appReaders, 200).but([.otherEnterprise, .countyOut], 404)
        // A transition: the movers' policy (enterprise, county, bureau) admits the call; those
        // who cannot see the application get 404, those who see it but are not its party 403.
        func move(_ allowed: Set<MatrixCaller>, _ status: Int = 200) -> MatrixCells {
            MatrixCells { caller in
                if caller == .anonymous { return 401 }
                if allowed.contains(caller) { return status }
                return [.otherEnterprise, .countyOut].contains(caller) ? 404 : 403
            }
        }
        get("GET /v1/applications", "", .only(appReaders, 200), "/v1/applications")
        row("POST /v1/applications", "", .only([.ownEnterprise, .otherEnterprise], 201), { MatrixFixture(id: String(w.nextYear())) }) { _, f in
            MatrixRequest(path: "/v1/applications", json: CertificationFixtures.body(year: Int(f!.id)!))
        }
        get("GET /v1/applications/{id}", "", seesApp, "/v1/applications/\(w.application)")
        row("PATCH /v1/applications/{id}", "", MatrixCells.only([.ownEnterprise], 200).but([.otherEnterprise], 404), nil) { _, _ in
            MatrixRequest(path: "/v1/applications/\(w.application)", json: #"{"materials":{"trainees_per_year":81}}"#)
        }
        let transition = "POST /v1/applications/{id}/transitions"
        for (action, from, allowed, body) in [
            ("submit", "draft", Set<MatrixCaller>([.ownEnterprise]), #"{"action":"submit"}"#),
            ("withdraw", "draft", [.ownEnterprise], #"{"action":"withdraw"}"#),
            ("county_approve", "submitted", [.countyIn, .bureau], #"{"action":"county_approve"}"#),
            ("return", "submitted", [.countyIn, .bureau], #"{"action":"return","note":"请补充材料"}"#),
            ("recommend", "county_approved", [.bureau], #"{"action":"recommend"}"#),
            ("record_decision", "recommended", [.bureau], CertificationFixtures.decision(CertificationFixtures.today)),
        ] {
            row(transition, action, move(allowed), { try await w.newApplication(from) }) { _, f in
                MatrixRequest(path: "/v1/applications/\(f!.id)/transitions", json: body)
            }
        }
        get("GET /v1/applications/{id}/history", "", seesApp, "/v1/applications/\(w.application)/history")
        get("GET /v1/applications/{id}/attachments", "", seesApp, "/v1/applications/\(w.application)/attachments")
        row("POST /v1/applications/{id}/attachments", "", MatrixCells.only([.ownEnterprise], 201).but([.otherEnterprise], 404), nil) { _, _ in
            MatrixRequest(path: "/v1/applications/\(w.application)/attachments?filename=mx.pdf", bytes: CertificationFixtures.pdf, contentType: "application/pdf")
        }
        get("GET /v1/applications/{id}/attachments/{aid}", "", seesApp, "/v1/applications/\(w.application)/attachments/\(w.attachment)")
        row("DELETE /v1/applications/{id}/attachments/{aid}", "", MatrixCells.only([.ownEnterprise], 204).but([.otherEnterprise], 404),
            { MatrixFixture(id: try await w.newAttachment(w.application)) }) { _, f in
            MatrixRequest(path: "/v1/applications/\(w.application)/attachments/\(f!.id)")
        }

        get("GET /v1/quotas", "", .only([.bureau, .viewer], 200), "/v1/quotas?year=2026")
        row("PUT /v1/quotas/{year}/{level}/{region_code}", "", bureauOnly, nil) { _, _ in
            MatrixRequest(path: "/v1/quotas/2026/provincial/411202", json: #"{"recommendations":6}"#)
        }
        get("GET /v1/certifications", "", .everyone(200), "/v1/certifications")
        get("GET /v1/certifications/{id}", "", .everyone(200), "/v1/certifications/\(w.certificationID)")
        row("POST /v1/certifications/{id}/revoke", "", bureauOnly, { try await w.newReward() }) { _, f in
            MatrixRequest(path: "/v1/certifications/\(f!.id)/revoke", json: #"{"reason":"弄虚作假","document_no":"三工信〔2026〕9号"}"#)
        }

        let ledgerReaders: Set<MatrixCaller> = [.ownEnterprise, .otherEnterprise, .bureau, .viewer]
        get("GET /v1/rewards", "", .only(ledgerReaders, 200), "/v1/rewards")
        get("GET /v1/rewards/totals", "", .only([.bureau, .viewer], 200), "/v1/rewards/totals?group_by=status")
        get("GET /v1/rewards/{id}", "", MatrixCells.only(ledgerReaders, 200).but([.otherEnterprise], 404), "/v1/rewards/\(w.reward)")
        row("POST /v1/rewards/{id}/disburse", "", bureauOnly, { try await w.newReward() }) { _, f in
            MatrixRequest(path: "/v1/rewards/\(f!.owner!)/disburse", json: #"{"paid_on":"2026-11-25","voucher_no":"MX-\#(w.next())"}"#)
        }
        // Recorded by the second bureau account: the bureau (admin) confirms.
        row("POST /v1/rewards/{id}/confirm", "", bureauOnly, { try await w.newReward("disbursing") }) { _, f in
            MatrixRequest(path: "/v1/rewards/\(f!.owner!)/confirm")
        }
        row("POST /v1/rewards/{id}/cancel", "", bureauOnly, { try await w.newReward() }) { _, f in
            MatrixRequest(path: "/v1/rewards/\(f!.owner!)/cancel", json: #"{"reason":"企业主动放弃"}"#)
        }
        get("GET /v1/reward-policies/{level}", "", .only([.bureau, .viewer], 200), "/v1/reward-policies/national")
        // The shipped policy, put again unchanged: a replacement.
        row("PUT /v1/reward-policies/{level}", "", bureauOnly, nil) { _, _ in
            MatrixRequest(path: "/v1/reward-policies/provincial", json: #"{"amount_fen":20000000,"effective_from":"2019-01-01","top_up":true}"#)
        }

        get("GET /v1/targets", "", .everyone(200), "/v1/targets?year=2027")
        get("GET /v1/targets/{year}/{region_code}", "", .everyone(200), "/v1/targets/2027/411202")
        row("PUT /v1/targets/{year}/{region_code}", "", bureauOnly, nil) { _, _ in
            MatrixRequest(path: "/v1/targets/2027/411202", json: w.targetBody)
        }
        get("GET /v1/scoreboard", "", .everyone(200), "/v1/scoreboard?year=2026")
        get("GET /v1/stats/overview", "", .everyone(200), "/v1/stats/overview")
        // The change feed: bureau and viewer sessions, keys with feed:read.
        get("GET /v1/changes", "", .only([.bureau, .viewer, .feedKey], 200), "/v1/changes?limit=5")

        // Imports: the kind's writers; a college or enterprise importing another's records gets
        // the report's 422 (nothing written).
        func file(_ text: String, _ type: String = "text/csv") -> (String) -> MatrixRequest {
            { path in MatrixRequest(path: path, bytes: Array(text.utf8), contentType: type) }
        }
        row("POST /v1/imports/talents", "", .only([.partner, .bureau, .talentsKey], 200), nil) { _, _ in
            file("external_id,name,education_level,consent.share_with_enterprises,consent.given_at\nMX-IMP-\(w.next()),王导入,associate,true,2026-11-01T08:00:00Z\n")(
                "/v1/imports/talents?source=talent-web")
        }
        let programLine = #"{"external_id":"MX-P","college_id":"\#(w.smxzy)","title":"导入项目","specialty_code":"430501","level":"associate","capacity":5,"modes":["internship"],"region_code":"411202"}"#
        row("POST /v1/imports/programs", "", MatrixCells.only([.ownCollege, .otherCollege, .bureau, .programsKey], 200).but([.otherCollege], 422), nil) { _, _ in
            file(programLine + "\n", "application/x-ndjson")("/v1/imports/programs")
        }
        let demandLine = #"{"external_id":"MX-D","enterprise_id":"\#(w.zyyl)","title":"导入需求","occupation_code":"6-17-06-01","headcount":2,"min_level":"secondary","mode":"employment","region_code":"411202"}"#
        row("POST /v1/imports/demands", "", MatrixCells.only([.ownEnterprise, .otherEnterprise, .bureau], 200).but([.otherEnterprise], 422), nil) { _, _ in
            file(demandLine + "\n", "application/x-ndjson")("/v1/imports/demands")
        }
        row("POST /v1/imports/enterprises", "", bureauOnly, nil) { _, _ in
            let uscc = USCC.withCheckCharacters("91411202" + String(format: "MA%06d", w.next()))!
            return file("name,uscc,region_code,size\n矩阵导入企业\(w.next()),\(uscc),411202,small\n")("/v1/imports/enterprises")
        }
        // The shipped rows again: unchanged.
        row("POST /v1/imports/skills", "", bureauOnly, nil) { _, _ in file("code,name,parent\nMET-001,火法冶炼操作,MET\n")("/v1/imports/skills") }
        row("POST /v1/imports/occupations", "", bureauOnly, nil) { _, _ in file("code,name\n6-17-06-01,贵金属冶炼工\n")("/v1/imports/occupations") }
        row("POST /v1/imports/specialties", "", bureauOnly, nil) { _, _ in
            file("code,name,level,related_occupation_codes\n430501,有色金属智能冶金技术,associate,6-17-04-02;6-17-04-03;6-17-05-02;2-02-05-01\n")("/v1/imports/specialties")
        }

        // Exports: every session role and exports:read keys; talents the bureau and the source
        // partner; the ledger its readers; match runs the bureau and viewers.
        let sessionCallers = Set(MatrixCaller.allCases.filter { !$0.isKey && $0 != .anonymous })
        let exportRoute = "GET /v1/exports/{kind}"
        get(exportRoute, "programs", .only(sessionCallers.union([.exportsKey]), 200), "/v1/exports/programs?format=ndjson")
        get(exportRoute, "talents", .only([.bureau, .partner], 200), "/v1/exports/talents")
        get(exportRoute, "rewards", .only([.ownEnterprise, .otherEnterprise, .bureau, .viewer], 200), "/v1/exports/rewards")
        get(exportRoute, "scoreboard", .only(sessionCallers.union([.exportsKey]), 200), "/v1/exports/scoreboard?year=2026")
        get(exportRoute, "match-run-gaps", .only([.bureau, .viewer], 200), "/v1/exports/match-run-gaps?run=\(w.matchRun)")

        // Webhooks: the bureau's sessions and webhooks:manage keys (their own subscriptions).
        let hookManagers = MatrixCells.only([.bureau, .webhooksKey], 200)
        get("GET /v1/webhooks", "", hookManagers, "/v1/webhooks")
        row("POST /v1/webhooks", "", MatrixCells.only([.bureau, .webhooksKey], 201), nil) { _, _ in
            MatrixRequest(path: "/v1/webhooks", json: #"{"url":"https://93.184.216.34/matrix-\#(w.next())","events":["demand.created"]}"#)
        }
        get("GET /v1/webhooks/{id}", "", hookManagers, "/v1/webhooks/\(w.webhook)")
        row("DELETE /v1/webhooks/{id}", "", MatrixCells.only([.bureau, .webhooksKey], 204), { try await w.newWebhook() }) { _, f in
            MatrixRequest(path: "/v1/webhooks/\(f!.id)")
        }
        row("POST /v1/webhooks/{id}/rotate-secret", "", hookManagers, nil) { _, _ in MatrixRequest(path: "/v1/webhooks/\(w.webhook)/rotate-secret") }
        row("POST /v1/webhooks/{id}/enable", "", hookManagers, nil) { _, _ in MatrixRequest(path: "/v1/webhooks/\(w.webhook)/enable") }
        get("GET /v1/webhooks/{id}/deliveries", "", hookManagers, "/v1/webhooks/\(w.webhook)/deliveries")
        row("POST /v1/webhooks/{id}/deliveries/{did}/retry", "", MatrixCells.only([.bureau, .webhooksKey], 202), nil) { _, _ in
            MatrixRequest(path: "/v1/webhooks/\(w.webhook)/deliveries/\(w.webhookDelivery)/retry")
        }
    }
}
