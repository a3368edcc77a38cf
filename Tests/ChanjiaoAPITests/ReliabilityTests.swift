import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import HTTPTypes
import Testing

/// What fuzzing found (issue 7): no request may crash the service or get a 5xx, and text a
/// PostgreSQL column cannot hold is refused at its field before it gets there.
@Suite struct ReliabilityTests {
    /// The service still answers: a crashed process would fail this.
    func expectAlive(_ api: TestAPI) async throws {
        #expect(try await api.get("/health/live").status == .ok)
    }

    @Test func nestedObjectsPatchedOntoAbsentMembersOfEveryResource() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            for table in ["enterprises", "colleges"] {
                let id = try await api.id(table, where: "status", is: "active")
                let cleared = try await api.patch("/v1/\(table)/\(id)", token: admin, #"{"contact":null}"#)
                #expect(cleared.status == .ok, "\(cleared.text)")
                #expect(cleared["contact"] == nil || cleared["contact"] == .null)
                let patched = try await api.patch("/v1/\(table)/\(id)", token: admin, #"{"contact":{"name":"新联系人"}}"#)
                #expect(patched.status == .ok, "\(patched.text)")
                #expect(patched["contact"] == .object(["name": .string("新联系人"), "phone": .null, "email": .null])
                    || patched["contact"] == .object(["name": .string("新联系人")]), "\(patched.text)")
            }
            for table in ["enterprises", "colleges", "programs", "demands", "talents"] {
                let id = try await api.anyID(table)
                let deep = #"{"title":"# + String(repeating: #"{"a":"#, count: 300) + "1" + String(repeating: "}", count: 301)
                #expect(try await api.patch("/v1/\(table)/\(id)", token: admin, deep).status == .badRequest)
                let unknown = try await api.patch("/v1/\(table)/\(id)", token: admin, #"{"nested":{"a":{"b":1}}}"#)
                #expect(unknown.status == .unprocessableContent, "\(unknown.text)")
                #expect(unknown.errorFields == ["nested"])
                let scalarTarget = ["programs", "demands"].contains(table) ? "title" : "name"
                let wrongType = try await api.patch("/v1/\(table)/\(id)", token: admin, #"{"\#(scalarTarget)":{"a":{"a":1}}}"#)
                #expect(wrongType.status == .unprocessableContent, "\(wrongType.text)")
                #expect(wrongType.errorFields == [scalarTarget])
                try await expectAlive(api)
            }
        }
    }

    @Test func nulInQueryParametersIsA422AtTheParameter() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let probes: [(String, String)] = [
                ("/v1/programs?q=%00", "q"), ("/v1/demands?q=a%00b", "q"), ("/v1/enterprises?q=%00", "q"),
                ("/v1/colleges?q=%00", "q"), ("/v1/taxonomy/skills?q=%00", "q"),
                ("/v1/enterprises?industry_code=%00", "industry_code"), ("/v1/demands?occupation_code=%00", "occupation_code"),
                ("/v1/programs?specialty_code=%00", "specialty_code"), ("/v1/talents?source=%00", "source"),
                ("/v1/programs?q=%07bell", "q"), ("/v1/regions?parent_code=%1F", "parent_code"),
            ]
            for (path, field) in probes {
                let reply = try await api.get(path, token: admin)
                #expect(reply.status == .unprocessableContent, "\(path): \(reply.text)")
                #expect(reply.errorFields == [field], "\(path)")
                #expect(reply.headers[.contentType] == "application/problem+json")
            }
            // Tab, CR and LF are not refused by the screen (the field's own rule decides).
            #expect(try await api.get("/v1/programs?q=%E5%86%B6%09").status == .ok)
        }
    }

    @Test func pathParametersArePercentDecodedAndScreened() async throws {
        try await withAPI { api async throws in
            let partner = try await api.login("talent-web")
            let body = #"{"name":"路径测试","skills":[{"code":"MET-001","level":2}],"education_level":"secondary","consent":{"share_with_enterprises":true,"given_at":"2026-11-01T08:00:00Z"}}"#
            let before = try await api.count("talents")
            let nul = try await api.send(.put, "/v1/talents/by-external-id/talent-web/ab%00c", token: partner, json: body)
            #expect(nul.status == .unprocessableContent, "\(nul.text)")
            #expect(nul.errorFields == ["external_id"])
            #expect(try await api.count("talents") == before)
            let spaced = try await api.send(.put, "/v1/talents/by-external-id/talent-web/ab%20c%E4%B8%AD", token: partner, json: body)
            #expect(spaced.status == .created, "\(spaced.text)")
            #expect(spaced["external_id"] == .string("ab c中"))
            let again = try await api.send(.put, "/v1/talents/by-external-id/talent-web/ab%20c%E4%B8%AD", token: partner, json: body)
            #expect(again.status == .ok)
            #expect(try await api.get("/v1/regions/%00").status == .unprocessableContent)
            #expect(try await api.get("/v1/regions/41%31200")["code"] == .string("411200"))
            #expect(try await api.get("/v1/demands/%zz").status == .badRequest)
            try await expectAlive(api)
        }
    }

    @Test func nulAndControlCharactersInBodiesAre422AtTheirPaths() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("ent-zyyl")
            let before = try await api.count("demands")
            let body = BadInputTests.demand.replacingOccurrences(of: "铝箔轧制工", with: #"铝箔\u0000轧制工"#)
            let reply = try await api.post("/v1/demands", token: token, body)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.errorFields == ["title"])
            let nested = BadInputTests.with(#""skills_x":[{"code\u0001":"a"}]"#)
            #expect(try await api.post("/v1/demands", token: token, nested).errorFields == ["skills_x[0].code\u{1}"])
            let login = try await api.post("/v1/auth/login", #"{"username":"admin\u0000","password":"x"}"#)
            #expect(login.status == .unprocessableContent)
            #expect(login.errorFields == ["username"])
            #expect(try await api.count("demands") == before)
        }
    }

    @Test func deepBodiesAre400BeforeAnyRouteReadsThem() async throws {
        try await withAPI { api async throws in
            func nested(_ depth: Int) -> String {
                #"{"username":"# + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + #","password":"x"}"#
            }
            #expect(try await api.post("/v1/auth/login", nested(32)).status == .unprocessableContent)
            let refused = try await api.post("/v1/auth/login", nested(33))
            #expect(refused.status == .badRequest)
            #expect(refused["type"] == .string("/problems/bad-request"))
            #expect(try await api.post("/v1/auth/login", nested(500)).status == .badRequest)
            let token = try await api.login("ent-zyyl")
            #expect(try await api.post("/v1/demands", token: token, nested(40)).status == .badRequest)
        }
    }

    @Test func duplicateMembersAreRefusedAndWriteNothing() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("ent-zyyl")
            let before = try await api.count("demands")
            let reply = try await api.post("/v1/demands", token: token, BadInputTests.with(#""title":"第二个标题""#))
            #expect(reply.status == .badRequest, "\(reply.text)")
            #expect(reply.string["detail"]?.contains("title") == true)
            #expect(try await api.count("demands") == before)
        }
    }

    @Test func lengthsAreCountedInScalarsAndNoConstraintIsNamed() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("col-smxzy")
            let id = try await api.id("programs", where: "college_id::text", is: try await api.id("colleges", where: "school_code", is: "14390"))
            let title = String(repeating: "e\\u0301", count: 200)
            let reply = try await api.patch("/v1/programs/\(id)", token: token, #"{"title":"\#(title)"}"#)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.errorFields == ["title"])
            #expect(!reply.text.contains("_check") && !reply.text.contains("programs_"), "\(reply.text)")
            let fits = String(repeating: "e\\u0301", count: 100)
            #expect(try await api.patch("/v1/programs/\(id)", token: token, #"{"title":"\#(fits)"}"#).status == .ok)
        }
    }

    @Test func matchRunsOverEverywhereShowANullRegion() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let created = try await api.post("/v1/match-runs", token: admin, "{}")
            #expect(created.status == .accepted, "\(created.text)")
            guard case .object(let scope)? = created["scope"] else {
                Issue.record("no scope in \(created.text)")
                return
            }
            #expect(scope["region_code"] == .null)
            let read = try await api.get("/v1/match-runs/\(created.string["id"] ?? "")", token: admin)
            if case .object(let scope)? = read["scope"] { #expect(scope["region_code"] == .null) }
            let city = try await api.post("/v1/match-runs", token: admin, #"{"region_code":"4112"}"#)
            if case .object(let scope)? = city["scope"] { #expect(scope["region_code"] == .string("4112")) }
        }
    }

    @Test func aRecommendationIndexStillLoadingIsA503NotA429() async throws {
        let url = try await TestDatabase.fresh()
        try await TestDatabase.withStore(url) { store in
            // Never run, so it never loads: every snapshot request waits, then is told to retry.
            let index = MatchIndex(store: store)
            do {
                _ = try await index.snapshot()
                Issue.record("a snapshot of an index that never loaded")
            } catch let problem as Problem {
                #expect(problem.kind == .unavailable)
                #expect(problem.extensions["retry_after_seconds"] != nil)
            }
        }
        await TestDatabase.drop(url)
    }
}
