import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import HTTPTypes
import Testing

/// County targets, the red/black list and the overview statistics through the API, on the demo
/// city's year.
@Suite struct SupervisionTests {
    static let target = #"{"submitted":2,"certified":1,"deadline":"2027-11-30","responsible":{"name":"周敏","title":"渑池县工信局副局长","phone":"13800002222"}}"#

    @Test func targetsAreTheBureausAndPublicWithoutThePhone() async throws {
        try await withAPI { api async throws in
            let bureau = try await api.admin()
            func put(_ path: String, _ body: String) async throws -> Reply { try await api.send(.put, path, token: bureau, json: body) }
            let created = try await put("/v1/targets/2027/411221", Self.target)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.location] == "/v1/targets/2027/411221")
            #expect(created.body["responsible"]?["phone"] == .string("13800002222"))
            #expect(try await put("/v1/targets/2027/411221", Self.target).status == .ok)
            // The deadline falls in the year after January 1; the region is a county of the city.
            #expect(try await put("/v1/targets/2027/411221", Self.target.replacingOccurrences(of: "2027-11-30", with: "2027-01-01")).errorFields == ["deadline"])
            #expect(try await put("/v1/targets/2027/411221", Self.target.replacingOccurrences(of: "2027-11-30", with: "2028-03-01")).errorFields == ["deadline"])
            #expect(try await put("/v1/targets/2027/411200", Self.target).errorFields == ["region_code"])
            #expect(try await put("/v1/targets/2027/410102", Self.target).errorFields == ["region_code"])
            #expect(try await put("/v1/targets/1999/411221", Self.target).errorFields == ["year"])
            #expect(try await put("/v1/targets/2027/411221", Self.target.replacingOccurrences(of: "13800002222", with: "12")).errorFields == ["responsible.phone"])

            let anonymous = try await api.get("/v1/targets/2027/411221")
            #expect(anonymous.status == .ok)
            #expect(anonymous.body["responsible"]?["phone"] == nil && anonymous.body["responsible"]?["name"] == .string("周敏"))
            #expect(anonymous.string["region_name"] == "渑池县")
            #expect(try await api.get("/v1/targets/2027/411221", token: bureau).body["responsible"]?["phone"] == .string("13800002222"))
            #expect(try await api.get("/v1/targets/2027/411224").status == .notFound)
            let list = try await api.get("/v1/targets?year=2027&limit=1")
            #expect(list.items.count == 1 && list.body["next_cursor"] == .null)
            #expect(try await api.get("/v1/targets?year=2027&region=1").errorFields == ["region"])
        }
    }

    @Test func putsOfOneKeyAtOnceCreateItOnceAndIfMatchGuardsThem() async throws {
        try await withAPI { api async throws in
            let bureau = try await api.admin()
            // Six at once on a key that does not exist: one creates it, the others replace it,
            // and every replacement's audit row has what it replaced.
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for n in 1...6 {
                    group.addTask {
                        try await api.send(.put, "/v1/quotas/2032/provincial/411221", token: bureau, json: #"{"recommendations":\#(n)}"#).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .ok }.count == 5, "\(statuses)")
            let ours = "audit_events WHERE object_type = 'quota' AND after->>'year' = '2032'"
            #expect(try await api.count("\(ours) AND action = 'created'") == 1)
            #expect(try await api.count("\(ours) AND action = 'updated' AND before IS NOT NULL") == 5)

            // If-Match: the current version, or 412 and nothing written.
            let target = try await api.send(.put, "/v1/targets/2027/411221", token: bureau, json: Self.target)
            #expect(target.status == .created)
            let stale = try await api.send(.put, "/v1/targets/2027/411221", token: bureau, json: Self.target.replacingOccurrences(of: "\"submitted\":2", with: "\"submitted\":5"), headers: [.ifMatch: "\"9\""])
            #expect(stale.status == .preconditionFailed, "\(stale.text)")
            #expect(try await api.get("/v1/targets/2027/411221").body["submitted"] == .int(2))
            #expect(try await api.send(.put, "/v1/targets/2027/411221", token: bureau, json: Self.target, headers: [.ifMatch: "\"1\""]).status == .ok)
            #expect(try await api.send(.put, "/v1/targets/2027/411224", token: bureau, json: Self.target, headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)
            #expect(try await api.get("/v1/targets/2027/411224").status == .notFound)
            let policy = #"{"amount_fen":5000000,"effective_from":"2033-01-01","top_up":true}"#
            #expect(try await api.send(.put, "/v1/reward-policies/national", token: bureau, json: policy, headers: [.ifMatch: "\"3\""]).status == .preconditionFailed)
            #expect(try await api.send(.put, "/v1/reward-policies/national", token: bureau, json: policy).status == .created)
        }
    }

    @Test func theDemoBoardIsRedBlackAndNeitherAsTheFormulaSays() async throws {
        try await withAPI { api async throws in
            let board = try await api.get("/v1/scoreboard")
            #expect(board.status == .ok, "\(board.text)")
            let today = ChinaDay(Date())
            #expect(board.body["year"] == .int(today.year) && board.string["as_of"] == today.description)
            let rows = board.items
            #expect(rows.count == 6)
            let lists = rows.compactMap { row -> String? in if case .string(let list)? = row["list"] { list } else { nil } }
            // From January 3 on, the demo's targets can put a county behind (DemoStory.targets).
            if ChinaDay.januaryFirst(of: today.year).days(to: today) >= 2 {
                #expect(Set(lists).isSuperset(of: ["red", "black", "none"]), "\(lists)")
            }
            #expect(!board.text.contains("0398-"), "no responsible person's phone on the public board")
            // Every row as the pure function decides it from the row's own numbers, in rank order.
            var counties: [Scoreboard.County] = []
            for row in rows {
                guard case .object(let r) = row, case .string(let code)? = r["region_code"], case .int(let s)? = r["submitted"],
                    case .int(let st)? = r["submitted_target"], case .int(let c)? = r["certified"], case .int(let ct)? = r["certified_target"],
                    case .string(let deadline)? = r["deadline"], let day = ChinaDay(deadline)
                else { Issue.record("row \(row)"); continue }
                counties.append(Scoreboard.County(regionCode: code, submitted: s, submittedTarget: st, certified: c, certifiedTarget: ct, deadline: day))
            }
            let expected = Scoreboard.rank(counties, asOf: today)
            #expect(expected.map(\.county.regionCode) == counties.map(\.regionCode))
            for (row, decided) in zip(rows, expected) {
                #expect(row["list"] == .string(decided.list.rawValue))
                #expect(row["rank"] == .int(decided.rank))
                #expect(row["completion"] == .double(decided.completion.double) || row["completion"] == .int(Int(decided.completion.double)))
            }
            // 湖滨区 met its targets with the 集团's certification and three submissions.
            let hubin = rows.first { $0["region_code"] == .string("411202") }
            #expect(hubin?["list"] == .string("red") && hubin?["certified"] == .int(1) && hubin?["submitted"] == .int(3))
            // Before any submission of the year, nothing was reached.
            let january = try await api.get("/v1/scoreboard?year=\(today.year)&as_of=\(today.year)-01-01")
            #expect(january.items.allSatisfy { $0["submitted"] == .int(0) && $0["certified"] == .int(0) })
            #expect(try await api.get("/v1/scoreboard?as_of=2026-02-30").errorFields == ["as_of"])
            #expect(try await api.get("/v1/scoreboard?year=20x6").errorFields == ["year"])
            #expect(try await api.get("/v1/scoreboard?year=2030").items.isEmpty)
        }
    }

    @Test func theOverviewIsOneSnapshotOfTheCityAndItsCounties() async throws {
        try await withAPI { api async throws in
            let overview = try await api.get("/v1/stats/overview")
            #expect(overview.status == .ok, "\(overview.text)")
            guard case .array(let counties)? = overview["counties"], case .object(let city)? = overview["city"] else {
                Issue.record("overview: \(overview.text)")
                return
            }
            #expect(counties.count == 6)
            // Every demo record is registered with a county: the city is their sum.
            for figure in ["enterprises", "colleges", "programs", "seats", "demand_headcount", "cooperation_seats"] {
                let sum = counties.reduce(0) { total, county in if case .int(let n)? = county[figure] { total + n } else { total } }
                #expect(city[figure] == .int(sum), "\(figure)")
            }
            let bureau = try await api.admin()
            let applications = try await api.get("/v1/applications?limit=200", token: bureau).items.count
            #expect(city["applications"]?["total"] == .int(applications))
            #expect(city["certifications"]?["provincial"] == .int(try await api.get("/v1/certifications?status=active").items.count))
            #expect(city["rewards"]?["disbursed"]?["amount_fen"] == .int(20_000_000))
            #expect(city["enterprises"] == .int(try await api.count("enterprises WHERE status = 'active'")))
            #expect(try await api.get("/v1/stats/overview?county=411202").errorFields == ["county"])
        }
    }

    /// The board and the overview are kept between requests; a change made anywhere (here: a
    /// statement on the database itself, as another instance's write would be) reaches them.
    @Test func keptAnswersFollowEveryChange() async throws {
        try await withAPI { api async throws in
            let year = ChinaDay(Date()).year
            func target() async throws -> JSONValue? {
                try await api.get("/v1/scoreboard").items.first { $0["region_code"] == .string("411224") }?["submitted_target"]
            }
            func enterprises() async throws -> JSONValue? { try await api.get("/v1/stats/overview")["city"]?["enterprises"] }
            let before = try await target()
            let counted = try await enterprises()
            _ = try await api.store.client.query(
                "UPDATE targets SET submitted = submitted + 7 WHERE year = \(year) AND region_code = '411224'")
            _ = try await api.store.client.query(
                "UPDATE enterprises SET status = 'suspended' WHERE name = '中原冶炼厂'")
            guard case .int(let old)? = before, case .int(let active)? = counted else {
                Issue.record("no 卢氏县 row or enterprise count")
                return
            }
            try await eventually { try await target() == .int(old + 7) }
            try await eventually { try await enterprises() == .int(active - 1) }
        }
    }

    /// The demo's targets put each county on its list on any day of the year from January 3
    /// (before then no deadline has passed and nothing can be behind).
    @Test func theDemoTargetsGiveEveryListOnAnyDay() {
        var day = ChinaDay(year: 2026, month: 1, day: 3)!
        while day.year == 2026 {
            for (submitted, certified, wanted) in [(3, 1, Scoreboard.List.red), (0, 0, .black), (2, 0, .none)] {
                let (s, c, deadline) = DemoStory.targets(submitted: submitted, certified: certified, wanted: wanted, year: 2026, today: day)
                let county = Scoreboard.County(regionCode: "", submitted: submitted, submittedTarget: s, certified: certified, certifiedTarget: c, deadline: deadline)
                #expect(Scoreboard.rank([county], asOf: day)[0].list == wanted, "\(day) \(wanted)")
            }
            day = day.adding(days: 5)
        }
    }
}
