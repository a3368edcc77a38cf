import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// A valid program body for the demo college 三门峡职业技术学院 (account col-smxzy).
let programBody = """
    {"title":"冶金技术订单班","specialty_code":"430501","level":"associate","skills":[{"code":"MET-001","level":4},{"code":"SAF-002","level":3}],
     "capacity":40,"modes":["order_class","internship"],"region_code":"411202","starts_on":"2027-09-01","ends_on":"2028-07-01","status":"published"}
    """

@Suite struct RegistryTests {
    @Test func publicDirectoryShowsActiveEnterprisesWithoutContactDetails() async throws {
        try await withAPI { api async throws in
            let list = try await api.get("/v1/enterprises?limit=200")
            #expect(list.status == .ok)
            #expect(list.items.count >= 30)
            guard case .object(let first)? = list.items.first else { return }
            #expect(Set(first.keys) == ["id", "name", "uscc", "region_code", "industry_code", "size", "status"])
            let own = try await api.get("/v1/enterprises/\(try await api.id("enterprises", where: "name", is: "中原冶炼厂"))", token: try await api.login("ent-zyyl"))
            #expect(own["contact"] != nil && own["version"] != nil)
            #expect(own.headers[.eTag] == "\"\(own["version"].map { if case .int(let v) = $0 { v } else { 0 } } ?? 0)\"")
        }
    }

    @Test func listsPageWithCursorsFilterByRegionAndSearchTwoCharacterWords() async throws {
        try await withAPI { api async throws in
            var seen: [String] = []
            var cursor: String? = nil
            repeat {
                let page = try await api.get("/v1/enterprises?limit=7" + (cursor.map { "&after=\($0)" } ?? ""))
                #expect(page.status == .ok)
                seen += page.items.compactMap { if case .object(let o) = $0, case .string(let id)? = o["id"] { id } else { nil } }
                cursor = page.string["next_cursor"]
            } while cursor != nil
            #expect(seen == seen.sorted())
            #expect(Set(seen).count == seen.count)
            #expect(seen.count == (try await api.get("/v1/enterprises?limit=200")).items.count)

            let city = try await api.get("/v1/enterprises?region_code=411200&limit=200")
            let county = try await api.get("/v1/enterprises?region_code=411282&limit=200")
            #expect(city.items.count == seen.count)
            #expect(!county.items.isEmpty && county.items.count < city.items.count)

            let gold = try await api.get("/v1/enterprises?q=%E9%BB%84%E9%87%91")  // 黄金
            #expect(gold.items.contains { if case .object(let o) = $0 { o["name"] == .string("灵宝黄金股份") } else { false } })
            #expect(gold.items.allSatisfy { if case .object(let o) = $0, case .string(let n)? = o["name"] { n.contains("黄金") } else { false } })
        }
    }

    @Test func badListParametersAreRejectedWithTheirNames() async throws {
        try await withAPI { api async throws in
            #expect(try await api.get("/v1/programs?limit=0").errorFields == ["limit"])
            #expect(try await api.get("/v1/programs?limit=201").errorFields == ["limit"])
            #expect(try await api.get("/v1/programs?after=%21%21").errorFields == ["after"])
            #expect(try await api.get("/v1/programs?level=phd").errorFields == ["level"])
            #expect(try await api.get("/v1/programs?colour=red").errorFields == ["colour"])
            #expect(try await api.get("/v1/demands?region_code=41").errorFields == ["region_code"])
            // A well-formed code that names no region: a 422 too, not an empty list.
            let admin = try await api.admin()
            for path in [
                "/v1/demands?region_code=990000", "/v1/enterprises?region_code=999999", "/v1/accounts?region_code=411299",
                "/v1/rewards/totals?group_by=county&region_code=999999", "/v1/exports/programs?region_code=999999",
            ] {
                let reply = try await api.get(path, token: admin)
                #expect(reply.errorFields == ["region_code"], "\(path): \(reply.status)")
            }
            #expect(try await api.get("/v1/accounts?region_code=abc", token: admin).errorFields == ["region_code"])
            // Each text filter's value follows its parameter's schema in the document.
            for (path, field) in [
                ("/v1/programs?specialty_code=abc", "specialty_code"), ("/v1/talents?source=BAD%20SRC", "source"),
                ("/v1/taxonomy/specialties?level=bogus", "level"), ("/v1/regions?parent_code=abc", "parent_code"),
                ("/v1/taxonomy/skills?parent=x1", "parent"), ("/v1/enterprises?industry_code=ZZZZZZ", "industry_code"),
                ("/v1/demands?occupation_code=12345678901", "occupation_code"), ("/v1/audit-events?actor=" + String(repeating: "a", count: 65), "actor"),
            ] {
                #expect(try await api.get(path, token: admin).errorFields == [field], "\(path)")
            }
            #expect(try await api.get("/v1/enterprises?industry_code=").status == .ok)
            // An export names the filters it takes, not pages it has none of.
            let export = try await api.get("/v1/exports/demands?bogus=1", token: admin)
            #expect(export.errorFields == ["bogus"] && !export.text.contains("limit"), "\(export.text)")
            #expect(try await api.get("/v1/demands?region_code=411200").items.count > 0)
            #expect(try await api.get("/v1/talents").status == .unauthorized)
        }
    }

    @Test func aCollegeCreatesReadsPatchesAndArchivesItsProgram() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("col-smxzy")
            let created = try await api.post("/v1/programs", token: token, programBody)
            #expect(created.status == .created, "\(created.text)")
            let id = created.string["id"] ?? ""
            #expect(created.headers[.location] == "/v1/programs/\(id)")
            #expect(created.string["college_id"] == (try await api.id("colleges", where: "name", is: "三门峡职业技术学院")))
            #expect(try await api.get("/v1/programs/\(id)").string["title"] == "冶金技术订单班")

            let patched = try await api.patch("/v1/programs/\(id)", token: token, #"{"capacity":45,"starts_on":null}"#, headers: [.ifMatch: "\"1\""])
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched["capacity"] == .int(45))
            #expect(patched["starts_on"] == .null)
            #expect(patched["version"] == .int(2))

            let stale = try await api.patch("/v1/programs/\(id)", token: token, #"{"capacity":50}"#, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(try await api.get("/v1/programs/\(id)")["capacity"] == .int(45))

            let readOnly = try await api.patch("/v1/programs/\(id)", token: token, #"{"version":9,"college_id":"00000000-0000-0000-0000-000000000000"}"#)
            #expect(Set(readOnly.errorFields) == ["version", "college_id"])

            let archived = try await api.send(.post, "/v1/programs/\(id)/archive", token: token)
            #expect(archived.string["status"] == "archived")
            #expect(try await api.get("/v1/programs/\(id)").status == .notFound)  // no longer public
            #expect(try await api.get("/v1/programs/\(id)", token: token).status == .ok)
            let listed = try await api.get("/v1/programs?archived=true&limit=200", token: token)
            #expect(listed.items.contains { if case .object(let o) = $0 { o["id"] == .string(id) } else { false } })
        }
    }

    @Test func aChangeMadeElsewhereReachesCachedReadsWithinTwoSeconds() async throws {
        try await withAPI { api async throws in
            let id = try await api.id("programs", where: "status", is: "published")
            _ = try await api.get("/v1/programs/\(id)")  // now cached
            // Another instance (or a DBA) changes the row: only the notice tells this one.
            try await api.store.client.query("UPDATE programs SET title = '缓存失效测试', version = version + 1 WHERE id = \(UUID(uuidString: id)!)")
            let deadline = ContinuousClock.now + .seconds(2)
            var title = ""
            while ContinuousClock.now < deadline && title != "缓存失效测试" {
                title = try await api.get("/v1/programs/\(id)").string["title"] ?? ""
                if title != "缓存失效测试" { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(title == "缓存失效测试")
        }
    }

    /// Anonymous first pages are cached; every kind of change still reaches them: a write
    /// here, a change only a notice tells of, and the owner's suspension.
    @Test func anAnonymousFirstPageFollowsEveryChange() async throws {
        try await withAPI { api async throws in
            func titles() async throws -> [String] {
                try await api.get("/v1/programs?limit=200").items.compactMap { if case .object(let o) = $0, case .string(let t)? = o["title"] { t } else { nil } }
            }
            func eventually(_ condition: ([String]) -> Bool) async throws -> Bool {
                let deadline = ContinuousClock.now + .seconds(2)
                while ContinuousClock.now < deadline {
                    if condition(try await titles()) { return true }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return false
            }
            let before = try await titles()
            #expect(try await titles() == before)  // the second read is the cached page
            let college = try await api.login("col-smxzy")
            let created = try await api.post("/v1/programs", token: college, programBody)
            #expect(created.status == .created)
            // This instance's own write: the next read already sees it.
            #expect(try await titles().count == before.count + 1)
            let id = UUID(uuidString: created.string["id"] ?? "")!
            try await api.store.client.query("UPDATE programs SET title = '分页缓存测试', version = version + 1 WHERE id = \(id)")
            #expect(try await eventually { $0.contains("分页缓存测试") })
            let admin = try await api.admin()
            let collegeID = try await api.get("/v1/programs/\(id)").string["college_id"] ?? ""
            let suspended = try await api.send(.post, "/v1/colleges/\(collegeID)/suspend", token: admin, json: #"{"reason":"测试暂停"}"#)
            #expect(suspended.status == .ok, "\(suspended.text)")
            #expect(try await eventually { !$0.contains("分页缓存测试") })
        }
    }

    @Test func organizationsTouchOnlyTheirOwnRecords() async throws {
        try await withAPI { api async throws in
            let mine = try await api.login("col-smxzy")
            let other = try await api.login("col-smxsg")
            let id = try await api.post("/v1/programs", token: mine, programBody.replacingOccurrences(of: "published", with: "draft")).string["id"] ?? ""
            #expect(try await api.get("/v1/programs/\(id)", token: other).status == .notFound)  // a draft is private
            #expect(try await api.get("/v1/programs/\(id)").status == .notFound)
            #expect(try await api.patch("/v1/programs/\(id)", token: mine, #"{"status":"published"}"#).status == .ok)
            #expect(try await api.patch("/v1/programs/\(id)", token: other, #"{"capacity":1}"#).status == .forbidden)
            let foreign = programBody.replacingOccurrences(of: "{\"title\"", with: "{\"college_id\":\"\(try await api.id("colleges", where: "name", is: "三门峡职业技术学院"))\",\"title\"")
            #expect(try await api.post("/v1/programs", token: other, foreign).status == .forbidden)
            #expect(try await api.post("/v1/programs", token: try await api.login("ent-zyyl"), programBody).status == .forbidden)
            #expect(try await api.post("/v1/programs", programBody).status == .unauthorized)
        }
    }

    @Test func idempotencyKeyReplaysTheFirstResponse() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("col-smxzy")
            let first = try await api.post("/v1/programs", token: token, programBody, headers: [.idempotencyKey: "k-1"])
            let second = try await api.post("/v1/programs", token: token, programBody, headers: [.idempotencyKey: "k-1"])
            #expect(first.status == .created && second.status == .created)
            #expect(first.string["id"] == second.string["id"])
            let changed = try await api.post("/v1/programs", token: token, programBody.replacingOccurrences(of: "40", with: "41"), headers: [.idempotencyKey: "k-1"])
            #expect(changed.status == .unprocessableContent)
            #expect(try await api.count("programs WHERE title = '冶金技术订单班'") == 1)
        }
    }

    @Test func usccIsCheckedUniqueAndOverriddenOnlyByTheBureau() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            func body(_ uscc: String, override: Bool = false) -> String {
                #"{"name":"测试企业","uscc":"\#(uscc)","region_code":"411202","size":"micro""# + (override ? #","uscc_override":true}"# : "}")
            }
            let bad = try await api.post("/v1/enterprises", token: admin, body("91350200MA2YJ1XR9H"))
            #expect(bad.errorFields == ["uscc"])
            let fullWidth = try await api.post("/v1/enterprises", token: admin, body("９１３５０２００ＭＡ２ＹＪ１ＸＲ９Ｇ"))
            #expect(fullWidth.errorFields == ["uscc"])
            let created = try await api.post("/v1/enterprises", token: admin, body(" 91350200ma2yj1xr9g "))
            #expect(created.status == .created)
            #expect(created.string["uscc"] == "91350200MA2YJ1XR9G")
            let duplicate = try await api.post("/v1/enterprises", token: admin, body("91350200MA2YJ1XR9G"))
            #expect(duplicate.status == .conflict)
            #expect(duplicate.string["existing_id"] == created.string["id"])
            let overridden = try await api.post("/v1/enterprises", token: admin, body("91350200MA2YJ1XR9H", override: true))
            #expect(overridden.status == .created)
            #expect(try await api.count("audit_events WHERE action = 'created' AND (after->>'uscc_override')::boolean") == 1)
            // A PATCH onto a taken code: the same 409, naming the holder to the bureau.
            let moved = try await api.patch("/v1/enterprises/\(overridden.string["id"] ?? "")", token: admin, #"{"uscc":"91350200MA2YJ1XR9G","uscc_override":false}"#)
            #expect(moved.status == .conflict && moved.string["existing_id"] == created.string["id"], "\(moved.text)")
            let registration = #"{"kind":"enterprise","organization":{"name":"某企业","uscc":"91350200MA2YJ1XR9G","region_code":"411202","size":"micro"},"account":{"username":"ent-dup","password":"a-good-password"}}"#
            let taken = try await api.post("/v1/registrations", registration)
            #expect(taken.status == .conflict)
            #expect(taken["existing_id"] == nil)
        }
    }

    @Test func talentsAreMaskedAndFilteredByConsentForEnterprises() async throws {
        try await withAPI { api async throws in
            let enterprise = try await api.get("/v1/talents?limit=200", token: try await api.login("ent-zyyl"))
            #expect(enterprise.status == .ok)
            for case .object(let talent) in enterprise.items {
                guard case .object(let consent)? = talent["consent"], case .string(let phone)? = talent["phone"],
                    case .string(let name)? = talent["name"]
                else { continue }
                #expect(consent["share_with_enterprises"] == .bool(true))
                #expect(phone.contains("****"))
                #expect(name.hasSuffix("*"))
            }
            let bureau = try await api.get("/v1/talents?limit=200", token: try await api.admin())
            #expect(!bureau.text.contains("****"))
            #expect(bureau.items.contains { item in
                if case .object(let t) = item, case .object(let c)? = t["consent"] { c["share_with_enterprises"] == .bool(false) } else { false }
            })
            let consenting = try await api.count("talents WHERE share_with_enterprises")
            #expect(try await api.count("talents") > consenting)
            var seen = 0
            var cursor: String? = nil
            let token = try await api.login("col-smxzy")
            repeat {
                let page = try await api.get("/v1/talents?limit=200" + (cursor.map { "&after=\($0)" } ?? ""), token: token)
                seen += page.items.count
                cursor = page.string["next_cursor"]
            } while cursor != nil
            #expect(seen == consenting)
        }
    }

    @Test func partnersUpsertTalentsByTheirOwnKey() async throws {
        try await withAPI { api async throws in
            let partner = try await api.login("talent-web")
            let body = #"{"name":"李四","phone":"13812345678","education_level":"associate","skills":[{"code":"MET-001","level":3}],"consent":{"share_with_enterprises":true,"given_at":"2026-11-01T08:00:00Z"}}"#
            let created = try await api.send(.put, "/v1/talents/by-external-id/talent-web/X-1", token: partner, json: body)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.string["phone"] == "13812345678")
            let updated = try await api.send(.put, "/v1/talents/by-external-id/talent-web/X-1", token: partner, json: body.replacingOccurrences(of: "李四", with: "李四四"))
            #expect(updated.status == .ok)
            #expect(updated["version"] == .int(2))
            #expect(updated.string["id"] == created.string["id"])
            let foreign = try await api.send(.put, "/v1/talents/by-external-id/other-source/X-1", token: partner, json: body)
            #expect(foreign.status == .forbidden)
            let masked = try await api.get("/v1/talents/\(created.string["id"] ?? "")", token: try await api.login("ent-zyyl"))
            #expect(masked.string["name"] == "李**")
            #expect(masked.string["phone"] == "138****5678")
            #expect(try await api.send(.delete, "/v1/talents/\(created.string["id"] ?? "")", token: partner).status == .noContent)
            #expect(try await api.count("talents WHERE external_id = 'X-1'") == 0)
        }
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}
