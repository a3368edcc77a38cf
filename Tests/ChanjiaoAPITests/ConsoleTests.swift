import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// The public board and the console's pages against the real database: each page shows the
/// numbers the API gives for the same data, a role's page holds nothing it may not see, and the
/// forms go through the API's workflow and write path.
@Suite struct ConsoleTests {
    @Test func theBoardShowsTheScoreboardOfTheAPI() async throws {
        try await withAPI { api async throws in
            let scoreboard = try await api.get("/v1/scoreboard")
            let board = try await api.get("/board")
            #expect(board.status == .ok)
            #expect(board.headers[.contentType] == "text/html; charset=utf-8")
            let html = board.text
            #expect(html.contains("<html lang=\"zh-CN\">") && html.contains("红黑榜"))
            var names: [String] = []
            for row in scoreboard.items {
                guard case .string(let name)? = row["region_name"], case .string(let list)? = row["list"],
                    case .object(let responsible)? = row["responsible"], case .string(let person)? = responsible["name"]
                else { continue }
                names.append(name)
                #expect(html.contains(name) && html.contains(person))
                if list != "none" { #expect(html.contains(list == "red" ? "红榜" : "黑榜")) }
                let completion = row["completion"].map(Self.percent) ?? ""
                #expect(html.contains(completion), "\(name): \(completion)")
            }
            // Ranked as the API ranks them.
            let positions = names.compactMap { html.range(of: "class=\"county\">\($0)<")?.lowerBound }
            #expect(positions.count == names.count && positions == positions.sorted())
            #expect(!html.contains("0398-"), "no responsible person's phone on the public board")
            // The city totals are the overview's.
            let overview = try await api.get("/v1/stats/overview")
            if case .int(let total)? = overview["city"]?["applications"]?["total"] { #expect(html.contains(">\(total)</span><span class=\"label\">申报总数")) }

            let svg = try await api.get("/board.svg")
            #expect(svg.status == .ok && svg.headers[.contentType] == "image/svg+xml; charset=utf-8")
            #expect(svg.text.hasPrefix("<svg") && names.allSatisfy(svg.text.contains) && !svg.text.contains("0398-"))

            let other = try await api.get("/board?year=2025&as_of=2025-06-30")
            #expect(other.status == .ok && other.text.contains("2025 年产教融合型企业培育红黑榜") && other.text.contains("尚未设定县区目标"))
            // The form's cleared fields come as empty parameters: today's board of this year.
            let cleared = try await api.get("/board?year=&as_of=")
            #expect(cleared.status == .ok, "\(cleared.status)")
            let bad = try await api.get("/board?as_of=tomorrow&x=1")
            #expect(bad.status == .unprocessableContent && bad.headers[.contentType] == "text/html; charset=utf-8")
            #expect(bad.text.contains("as_of") || bad.text.contains("x"))
        }
    }

    @Test func signingInUsesAStrictCookieAndFormTokens() async throws {
        try await withAPI { api async throws in
            var person = ConsoleClient(api)
            let anonymous = try await person.get("/console/applications")
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/console/login?next=/console/applications")
            let login = try await person.get("/console/login")
            #expect(login.status == .ok && login.text.contains("<label for=\"username\">"))
            let loginCookie = login.headers[values: .setCookie].first { $0.hasPrefix("cj_login=") } ?? ""
            #expect(loginCookie.contains("HttpOnly") && loginCookie.contains("SameSite=Strict"))
            // A form without this browser's token is refused, whatever the password.
            let forged = try await person.post("/console/login", ["username": "admin", "password": TestDatabase.adminPassword, "_csrf": "forged"])
            #expect(forged.status == .forbidden && person.cookies["cj_console"] == nil)
            let wrong = try await person.signIn("admin", "not the password at all")
            #expect(wrong.status == .unauthorized && wrong.text.contains("登录失败"))
            let enterprise = try await person.signIn("ent-zyyl", TestDatabase.demoPassword)
            #expect(enterprise.status == .forbidden && person.cookies["cj_console"] == nil, "the console is not an enterprise's")

            let signedIn = try await person.signIn("admin", TestDatabase.adminPassword)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/console/")
            let session = signedIn.headers[values: .setCookie].first { $0.hasPrefix("cj_console=") } ?? ""
            #expect(session.contains("Path=/console") && session.contains("HttpOnly") && session.contains("SameSite=Strict") && !session.contains("Secure"))
            let home = try await person.get("/console/")
            #expect(home.status == .ok && home.text.contains("全市概览") && home.text.contains("审计日志"))
            // The JSON API never takes the cookie.
            let me = try await api.send(.get, "/v1/me", headers: [.cookie: "cj_console=\(person.cookies["cj_console"] ?? "")"])
            #expect(me.status == .unauthorized)
            // Forms need the session's token.
            let noToken = try await person.post("/console/match-runs", ["_csrf": "x"])
            #expect(noToken.status == .forbidden)
            let out = try await person.post("/console/logout", [:], page: home)
            #expect(out.status == .seeOther && person.cookies["cj_console"] == nil)
            #expect(try await person.get("/console/").status == .seeOther)

            // The sign-in throttle is the API's: ten wrong passwords at the console, and the
            // right one is refused there and at the API alike.
            for _ in 0..<10 { _ = try await person.signIn("county-411203", "wrong password number x") }
            let throttled = try await person.signIn("county-411203", TestDatabase.demoPassword)
            #expect(throttled.status == .tooManyRequests && person.cookies["cj_console"] == nil)
            let api429 = try await api.post("/v1/auth/login", #"{"username":"county-411203","password":"\#(TestDatabase.demoPassword)"}"#)
            #expect(api429.status == .tooManyRequests)
        }
    }

    @Test func theCertificationPathFromCountyToPaidRewardAndBoard() async throws {
        try await withAPI { api async throws in
            // 灵宝矿山机械 submits through the API.
            let enterprise = try await api.login("ent-lbks")
            let fixtures = CertificationFixtures(api: api, enterprise: enterprise, county: nil, bureau: try await api.admin())
            let year = ChinaDay(Date()).year
            let id = try await fixtures.application(year: year, state: "submitted")
            let before = try await api.get("/v1/scoreboard")
            let certifiedBefore = Self.row(before, "411282")?["certified"]

            var county = try await ConsoleClient.signedIn(api, "county-411282")
            var page = try await county.get("/console/applications/\(id)")
            #expect(page.status == .ok && page.text.contains("灵宝矿山机械"))
            #expect(page.text.contains("县区审核通过") && page.text.contains("退回修改") && !page.text.contains("推荐上报"))
            // A return without a note: the API's validation error, on the page, in Chinese.
            let noNote = try await county.post("/console/applications/\(id)/transitions", ["action": "return"], page: page)
            #expect(noNote.status == .unprocessableContent && noNote.text.contains("说明：退回时必须填写说明"))
            page = try await county.get("/console/applications/\(id)")
            let approved = try await county.post("/console/applications/\(id)/transitions", ["action": "county_approve", "note": "材料齐全"], page: page)
            #expect(approved.status == .seeOther)
            #expect(try await api.get("/v1/applications/\(id)", token: fixtures.bureau).string["status"] == "county_approved")
            // A county officer of another county cannot see it.
            var other = try await ConsoleClient.signedIn(api, "county-411202")
            #expect(try await other.get("/console/applications/\(id)").status == .notFound)
            #expect(!(try await other.get("/console/applications").text.contains("灵宝矿山机械")))

            var bureau = try await ConsoleClient.signedIn(api, "bureau-cert")
            page = try await bureau.get("/console/applications/\(id)")
            // A stale version is the API's 412.
            let stale = try await bureau.post("/console/applications/\(id)/transitions", ["action": "recommend", "version": "1"], page: page)
            #expect(stale.status == .preconditionFailed)
            page = try await bureau.get("/console/applications/\(id)")
            #expect(try await bureau.post("/console/applications/\(id)/transitions", ["action": "recommend", "version": Self.version(page)], page: page).status == .seeOther)
            page = try await bureau.get("/console/applications/\(id)")
            let decided = try await bureau.post(
                "/console/applications/\(id)/transitions",
                ["action": "record_decision", "decision.outcome": "approved", "decision.decided_on": ChinaDay(Date()).description, "decision.document_no": "豫工信〔2026〕9号"],
                page: page)
            #expect(decided.status == .seeOther)
            let document = try await api.get("/v1/applications/\(id)", token: fixtures.bureau)
            #expect(document.string["status"] == "approved")

            // The reward: recorded by one bureau account, confirmed by another.
            let rewards = try await api.get("/v1/rewards?status=pending&limit=200", token: fixtures.bureau)
            let reward = rewards.items.first { $0["certification_id"] == document["certification_id"] }
            guard case .string(let rewardID)? = reward?["id"] else { Issue.record("no reward: \(rewards.text)"); return }
            page = try await bureau.get("/console/rewards")
            #expect(page.text.contains("id=\"disburse-\(rewardID)\""))
            let paid = try await bureau.post(
                "/console/rewards/\(rewardID)/disburse", ["paid_on": ChinaDay(Date()).description, "voucher_no": "财付-2026-118"], page: page)
            #expect(paid.status == .seeOther)
            page = try await bureau.get("/console/rewards")
            #expect(!page.text.contains("id=\"confirm-\(rewardID)\"") && page.text.contains("须由另一名市局工作人员复核确认"))
            var finance = try await ConsoleClient.signedIn(api, "bureau-finance")
            page = try await finance.get("/console/rewards")
            #expect(page.text.contains("id=\"confirm-\(rewardID)\""))
            #expect(try await finance.post("/console/rewards/\(rewardID)/confirm", [:], page: page).status == .seeOther)
            #expect(try await api.get("/v1/rewards/\(rewardID)", token: fixtures.bureau).string["status"] == "disbursed")

            // The board counts the certification, as the API does.
            let after = try await api.get("/v1/scoreboard")
            let row = Self.row(after, "411282")
            #expect(row?["certified"] != certifiedBefore)
            let board = try await api.get("/board")
            if let completion = row?["completion"] { #expect(board.text.contains(Self.percent(completion))) }
            // The audit log shows who did it.
            let audit = try await bureau.get("/console/audit?object_id=\(rewardID)")
            #expect(audit.status == .ok && audit.text.contains("bureau-cert") && audit.text.contains("bureau-finance"))
        }
    }

    @Test func viewersSeeEverythingAndHaveNoButtons() async throws {
        try await withAPI { api async throws in
            let bureau = try await api.admin()
            _ = try await api.send(.post, "/v1/accounts", token: bureau, json: #"{"username":"viewer-fgw","password":"fgw-viewer-2026!","role":"viewer"}"#)
            var viewer = try await ConsoleClient.signedIn(api, "viewer-fgw", "fgw-viewer-2026!")
            for path in ["/console/", "/console/applications", "/console/rewards", "/console/targets", "/console/matching"] {
                let page = try await viewer.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains("<button type=\"submit\" id="), "\(path) has no buttons for a viewer")
                #expect(!page.text.contains("action=\"/console/rewards/") && !page.text.contains("action=\"/console/targets/"))
            }
            let audit = try await viewer.get("/console/audit")
            #expect(audit.status == .forbidden && audit.headers[.contentType] == "text/html; charset=utf-8")
            // The refusal is a page with the viewer's menu, and no form to post.
            #expect(audit.text.contains("viewer-fgw") && audit.text.contains("href=\"/console/rewards\"") && !audit.text.contains("<form"))
            let applications = try await api.get("/v1/applications?limit=1", token: bureau)
            if case .string(let id)? = applications.items.first?["id"] {
                let page = try await viewer.get("/console/applications/\(id)")
                #expect(page.status == .ok && !page.text.contains("/transitions\""))
                let refused = try await viewer.post("/console/applications/\(id)/transitions", ["action": "recommend"], page: page)
                #expect(refused.status == .forbidden)
            }
        }
    }

    @Test func theBureauSetsTargetsAndStartsAMatchRun() async throws {
        try await withAPI { api async throws in
            var bureau = try await ConsoleClient.signedIn(api, "admin", TestDatabase.adminPassword)
            var page = try await bureau.get("/console/targets?year=2027")
            #expect(page.status == .ok && page.text.contains("渑池县"))
            let bad = try await bureau.post(
                "/console/targets/2027/411221", ["submitted": "two", "certified": "1", "deadline": "2027-11-30", "responsible.name": "周敏", "responsible.title": "副局长", "responsible.phone": "13800002222"],
                page: page)
            #expect(bad.status == .unprocessableContent && bad.text.contains("申报目标"))
            #expect(try await api.get("/v1/targets/2027/411221").status == .notFound, "a refused form writes nothing")
            let saved = try await bureau.post(
                "/console/targets/2027/411221", ["submitted": "2", "certified": "1", "deadline": "2027-11-30", "responsible.name": "周敏", "responsible.title": "副局长", "responsible.phone": "13800002222"],
                page: page)
            #expect(saved.status == .seeOther)
            let target = try await api.get("/v1/targets/2027/411221")
            #expect(target.body["submitted"] == .int(2) && target.body["responsible"]?["name"] == .string("周敏"))
            page = try await bureau.get("/console/targets?year=2027")
            #expect(try await bureau.post("/console/quotas/2027/provincial/411221", ["recommendations": "4"], page: page).status == .seeOther)
            let quotas = try await api.get("/v1/quotas?year=2027", token: try await api.admin())
            #expect(quotas.items.contains { $0["region_code"] == .string("411221") && $0["recommendations"] == .int(4) }, "\(quotas.text)")

            page = try await bureau.get("/console/matching")
            #expect(page.status == .ok && page.text.contains("开始新的匹配计算"))
            #expect(try await bureau.post("/console/match-runs", [:], page: page).status == .seeOther)
            // The run finishes on the job queue; the page shows its figures and gaps when done.
            var done = false
            for _ in 0..<100 where !done {
                page = try await bureau.get("/console/matching")
                done = page.text.contains("已完成")
                if !done { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(done && page.text.contains("缺口分析") && page.text.contains("<svg"))
            let runs = try await api.get("/v1/match-runs?limit=1", token: try await api.admin())
            if case .int(let assigned)? = runs.items.first?["assigned"] { #expect(page.text.contains("<dd>\(assigned)</dd>")) }
        }
    }

    static func row(_ scoreboard: Reply, _ code: String) -> JSONValue? {
        scoreboard.items.first { $0["region_code"] == .string(code) }
    }

    static func percent(_ value: JSONValue) -> String {
        let fraction: Double =
            switch value {
            case .int(let n): Double(n)
            case .double(let d): d
            default: 0
            }
        let tenths = Int((max(0, min(1, fraction)) * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    static func version(_ page: Reply) -> String {
        guard let range = page.text.range(of: #"name="version" value=""#) else { return "" }
        return String(page.text[range.upperBound...].prefix { $0 != "\"" })
    }
}
