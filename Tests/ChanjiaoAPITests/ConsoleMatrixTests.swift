import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// The console's authorization matrix: every page and form of the console and the board against
/// every kind of caller, each cell the status the console's rules give it — a page for the roles
/// whose API data it shows (bureau, county, viewer; rewards and matching for the bureau and
/// viewers; the audit log for the bureau), forms for the roles that may write through them,
/// sign-in for anyone without credentials (303 to the sign-in page), 403 for everyone else, and
/// 404 for a county officer asking for another county's application. Accounts use the console
/// as a browser does (cookie and form token); enterprises, colleges and API keys, which cannot
/// sign in here, send their bearer credential.
@Suite struct ConsoleMatrixTests {
    enum Caller: String, CaseIterable {
        case anonymous, enterprise, college, countyIn = "county in", countyOut = "county out", bureau, viewer, key
    }

    struct Row {
        var method: HTTPRequest.Method
        var path: String
        var fields: [String: String] = [:]
        var expected: (Caller) -> Int
        /// Makes the record the row acts on again after a cell's success used it up.
        var renew: (() async throws -> Void)? = nil
    }

    static let consoleRoles: Set<Caller> = [.countyIn, .countyOut, .bureau, .viewer]

    /// A page for `roles`: 200; anonymous: to sign-in; others: 403.
    static func page(_ roles: Set<Caller>) -> (Caller) -> Int {
        { $0 == .anonymous ? 303 : roles.contains($0) ? 200 : 403 }
    }

    /// A form for `roles`: `success`; anonymous: to sign-in; others: 403.
    static func form(_ roles: Set<Caller>, success: Int = 303, overrides: [Caller: Int] = [:]) -> (Caller) -> Int {
        { overrides[$0] ?? ($0 == .anonymous ? 303 : roles.contains($0) ? success : 403) }
    }

    @Test func everyPageAndFormAgainstEveryCaller() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let password = "matrix-viewer-2026!"
            _ = try await api.send(.post, "/v1/accounts", token: admin, json: #"{"username":"cm-viewer","password":"\#(password)","role":"viewer"}"#)
            let key = try await api.post("/v1/api-keys", token: admin, #"{"name":"cm","scopes":["feed:read"]}"#)
            var browsers: [Caller: ConsoleClient] = [.anonymous: ConsoleClient(api)]
            let tokens: [Caller: String] = [
                .enterprise: try await api.login("ent-zyyl"), .college: try await api.login("col-smxzy"), .key: key.string["secret"] ?? key.string["key"] ?? "",
            ]
            #expect(tokens[.key]?.hasPrefix("cjk_") == true, "\(key.text)")
            for (caller, username, secret) in [
                (Caller.countyIn, "county-411282", TestDatabase.demoPassword), (.countyOut, "county-411202", TestDatabase.demoPassword),
                (.bureau, "admin", TestDatabase.adminPassword), (.viewer, "cm-viewer", password),
            ] {
                browsers[caller] = try await ConsoleClient.signedIn(api, username, secret)
            }
            // Each browser's form token, from a page it may open.
            var csrf: [Caller: String] = [:]
            for caller in Self.consoleRoles {
                csrf[caller] = ConsoleClient.csrf(in: try await browsers[caller]!.get("/console/").text)
            }

            // A submitted application of 灵宝市 with an attachment; a new one after each success.
            let enterprise = try await api.login("ent-lbks")
            let fixtures = CertificationFixtures(api: api, enterprise: enterprise, county: nil, bureau: admin)
            let year = ChinaDay(Date()).year
            var application = ""
            var attachment = ""
            func freshApplication() async throws {
                if !application.isEmpty { _ = try? await fixtures.move(application, #"{"action":"return","note":"重新申报"}"#, token: admin) }
                if !application.isEmpty { try? await fixtures.move(application, #"{"action":"withdraw"}"#, token: enterprise) }
                application = try await fixtures.application(year: year)
                let upload = try await api.send(
                    .post, "/v1/applications/\(application)/attachments?filename=%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf", token: enterprise,
                    contentType: "application/pdf", bytes: CertificationFixtures.pdf)
                attachment = upload.string["id"] ?? ""
                try await fixtures.move(application, #"{"action":"submit"}"#, token: enterprise)
            }
            try await freshApplication()
            let disbursed = try await api.get("/v1/rewards?status=disbursed&limit=1", token: admin).items.first?["id"]
            guard case .string(let reward)? = disbursed else { Issue.record("the demo has no disbursed reward"); return }
            let target = ["submitted": "2", "certified": "1", "deadline": "2027-11-30", "responsible.name": "周敏", "responsible.title": "副局长", "responsible.phone": "13800002222"]
            let everyone: (Caller) -> Int = { _ in 200 }

            let rows: [Row] = [
                Row(method: .get, path: "/board", expected: everyone),
                Row(method: .get, path: "/board.svg", expected: everyone),
                Row(method: .get, path: "/console/static/console.css", expected: everyone),
                Row(method: .get, path: "/console/login", expected: { Self.consoleRoles.contains($0) ? 303 : 200 }),
                Row(method: .get, path: "/console/", expected: Self.page(Self.consoleRoles)),
                Row(method: .get, path: "/console/applications", expected: Self.page(Self.consoleRoles)),
                Row(method: .get, path: "/console/applications/{application}", expected: { $0 == .countyOut ? 404 : Self.page(Self.consoleRoles)($0) }),
                Row(method: .get, path: "/console/applications/{application}/attachments/{attachment}", expected: { $0 == .countyOut ? 404 : Self.page(Self.consoleRoles)($0) }),
                Row(method: .get, path: "/console/rewards", expected: Self.page([.bureau, .viewer])),
                Row(method: .get, path: "/console/targets", expected: Self.page(Self.consoleRoles)),
                Row(method: .get, path: "/console/matching", expected: Self.page([.bureau, .viewer])),
                Row(method: .get, path: "/console/audit", expected: Self.page([.bureau])),
                Row(
                    method: .post, path: "/console/applications/{application}/transitions", fields: ["action": "county_approve"],
                    expected: Self.form([.countyIn, .bureau], overrides: [.countyOut: 404]), renew: freshApplication),
                // The bureau may: the reward is disbursed already, so the workflow refuses (409).
                Row(method: .post, path: "/console/rewards/\(reward)/cancel", fields: ["reason": "矩阵"], expected: Self.form([.bureau], success: 409)),
                Row(method: .post, path: "/console/targets/2027/411221", fields: target, expected: Self.form([.bureau])),
                Row(method: .post, path: "/console/quotas/2027/provincial/411221", fields: ["recommendations": "3"], expected: Self.form([.bureau])),
                Row(method: .post, path: "/console/match-runs", expected: Self.form([.bureau])),
                Row(method: .post, path: "/console/logout", expected: Self.form(Self.consoleRoles)),
            ]

            var cells = 0
            var failures = 0
            for row in rows {
                for caller in Caller.allCases {
                    let path = row.path.replacingOccurrences(of: "{application}", with: application)
                        .replacingOccurrences(of: "{attachment}", with: attachment)
                    let status: Int
                    if var browser = browsers[caller] {
                        var fields = row.fields
                        fields["_csrf"] = csrf[caller] ?? ""
                        status = Int((row.method == .get ? try await browser.get(path) : try await browser.post(path, fields)).status.code)
                        browsers[caller] = browser
                    } else {
                        let body = row.method == .get ? nil : row.fields.map { "\($0.key)=\(ConsoleClient.escape($0.value))" }.joined(separator: "&")
                        status = Int(
                            try await api.send(row.method, path, token: tokens[caller], json: body, contentType: "application/x-www-form-urlencoded").status.code)
                    }
                    cells += 1
                    let expected = row.expected(caller)
                    if status != expected {
                        failures += 1
                        Issue.record("console matrix: \(row.method) \(row.path) — \(caller.rawValue): expected \(expected), got \(status)")
                    }
                    if row.method == .post, (200..<400).contains(status), caller != .anonymous, let renew = row.renew { try await renew() }
                }
            }
            print("console matrix: \(rows.count) rows × \(Caller.allCases.count) callers, \(cells) cells, \(failures) failed")
        }
    }
}
