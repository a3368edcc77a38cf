import ChanjiaoDomain
import ChanjiaoMatching
import ChanjiaoStore
import Foundation
import HTTPTypes
import Testing

@Suite struct MatchTests {
    /// (id, score) pairs of a matches reply, in order.
    func ranking(_ reply: Reply, key: String) -> [(String, Int)] {
        reply.items.compactMap { item in
            guard case .object(let fields) = item, case .object(let other)? = fields[key], case .string(let id)? = other["id"],
                case .int(let score)? = fields["score"]
            else { return nil }
            return (id, score)
        }
    }

    /// The ranking recomputed by brute force from the database, with the reference rules:
    /// score ≥ min_score, score descending, ties by id ascending.
    func bruteForce(_ pairs: [(UUID, Int?)], limit: Int) -> [(String, Int)] {
        var kept: [(String, Int)] = []
        for (id, score) in pairs {
            if let score, score >= 4000 { kept.append((id.uuidString.lowercased(), score)) }
        }
        kept.sort { (a: (String, Int), b: (String, Int)) -> Bool in a.1 != b.1 ? a.1 > b.1 : a.0 < b.0 }
        return Array(kept.prefix(limit))
    }

    @Test func demandMatchesEqualBruteForceOverTheWholeRegistry() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("ent-zyyl")
            let enterprise = try await api.id("enterprises", where: "name", is: "中原冶炼厂")
            var catalog = try await api.store.matchCatalog()
            let programs = try await api.store.programProfiles(catalog: &catalog)
            let talents = try await api.store.talentProfiles(catalog: &catalog)
            let demands = try await api.store.demandProfiles(catalog: &catalog)
            let owned = try await api.get("/v1/demands?enterprise_id=\(enterprise)&limit=200").items
            #expect(owned.count >= 3)
            for case .object(let demandDoc) in owned {
                guard case .string(let idText)? = demandDoc["id"], let id = UUID(uuidString: idText),
                    let demand = demands.first(where: { $0.id == id })
                else { continue }
                let reply = try await api.get("/v1/demands/\(idText)/matches?kind=programs&limit=200", token: token)
                #expect(reply.status == .ok)
                #expect(reply["next_cursor"] == .null)
                let expected = bruteForce(programs.map { ($0.id, MatchScorer.standard.score(demand, $0)) }, limit: 200)
                #expect(ranking(reply, key: "program").map(\.0) == expected.map(\.0))
                #expect(ranking(reply, key: "program").map(\.1) == expected.map(\.1))
                let talentReply = try await api.get("/v1/demands/\(idText)/matches?kind=talents&limit=200", token: token)
                let consenting = talents.filter(\.consent)
                let expectedTalents = bruteForce(consenting.map { ($0.id, MatchScorer.standard.score(demand, $0)) }, limit: 200)
                #expect(ranking(talentReply, key: "talent").map(\.0) == expectedTalents.map(\.0))
                for case .object(let item) in talentReply.items {
                    if case .object(let talent)? = item["talent"], case .string(let phone)? = talent["phone"] { #expect(phone.contains("****")) }
                }
            }
        }
    }

    @Test func talentsRecommendedToTheBureauAreAuditedAsReadInRankOrder() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let enterprise = try await api.login("ent-zyyl")
            let owner = try await api.id("enterprises", where: "name", is: "中原冶炼厂")
            guard case .object(let demand)? = try await api.get("/v1/demands?enterprise_id=\(owner)&limit=1").items.first,
                case .string(let id)? = demand["id"]
            else { Issue.record("no demand of 中原冶炼厂"); return }
            let audited = "audit_events WHERE action = 'read_personal' AND object_type = 'talent'"
            let before = try await api.count(audited)
            // The enterprise sees masked profiles: nothing personal was read.
            #expect(try await api.get("/v1/demands/\(id)/matches?kind=talents&limit=200", token: enterprise).status == .ok)
            #expect(try await api.count(audited) == before)
            let reply = try await api.get("/v1/demands/\(id)/matches?kind=talents&limit=200", token: admin)
            let shown = ranking(reply, key: "talent").map(\.0)
            #expect(shown.count >= 2)
            #expect(try await api.count(audited) == before + 1)
            let rows = try await api.store.client.query(
                "SELECT after->'talent_ids' FROM audit_events WHERE action = 'read_personal' AND object_type = 'talent' ORDER BY id DESC LIMIT 1"
            ).decode(String.self)
            var ids: [String] = []
            for try await text in rows {
                guard case .array(let values) = try JSONValue.parse(Data(text.utf8)) else { continue }
                ids = values.compactMap { value in if case .string(let id) = value { id } else { nil } }
            }
            #expect(ids == shown, "the talents shown, in the order shown")
        }
    }

    @Test func everyMatchCarriesItsExplanation() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("col-smxzy")
            let program = try await api.id("programs", where: "status", is: "published")
            let owner = try await api.get("/v1/programs/\(program)")
            let college = owner.string["college_id"] ?? ""
            let collegeName = try await api.store.client.query("SELECT name FROM colleges WHERE id = \(UUID(uuidString: college)!)").decode(String.self)
            var name = ""
            for try await value in collegeName { name = value }
            let account = name == "三门峡职业技术学院" ? token : try await api.admin()
            let reply = try await api.get("/v1/programs/\(program)/matches?limit=5", token: account)
            #expect(reply.status == .ok)
            for case .object(let item) in reply.items {
                #expect(item["demand"] != nil)
                guard case .object(let parts)? = item["parts"] else { Issue.record("no parts"); continue }
                #expect(Set(parts.keys) == ["skill_fit", "occ_fit", "geo_fit", "level_fit"])
                #expect(item["matched_skills"] != nil && item["missing_skills"] != nil)
            }
        }
    }

    @Test func matchesAreForTheOwnerAndTheBureauOnly() async throws {
        try await withAPI { api async throws in
            let demand = try await api.id("demands", where: "status", is: "open")
            #expect(try await api.get("/v1/demands/\(demand)/matches").status == .unauthorized)
            let owner = try await api.get("/v1/demands/\(demand)").string["enterprise_id"] ?? ""
            let stranger = owner == (try await api.id("enterprises", where: "name", is: "中原冶炼厂")) ? "ent-lbhj" : "ent-zyyl"
            #expect(try await api.get("/v1/demands/\(demand)/matches", token: try await api.login(stranger)).status == .forbidden)
            #expect(try await api.get("/v1/demands/\(demand)/matches", token: try await api.admin()).status == .ok)
            #expect(try await api.get("/v1/demands/\(demand)/matches?kind=people", token: try await api.admin()).errorFields == ["kind"])
            #expect(try await api.get("/v1/demands/\(demand)/matches?limit=0", token: try await api.admin()).errorFields == ["limit"])
            var talent = ""
            for try await id in try await api.store.client.query("SELECT id::text FROM talents WHERE share_with_enterprises LIMIT 1").decode(String.self) {
                talent = id
            }
            #expect(try await api.get("/v1/talents/\(talent)/matches", token: try await api.login("talent-web")).status == .ok)
            // An enterprise may see a consenting talent but not ask for the talent's matches.
            #expect(try await api.get("/v1/talents/\(talent)/matches", token: try await api.login("ent-zyyl")).status == .forbidden)
        }
    }

    @Test func aNewProgramShowsInRecommendationsWithinTwoSeconds() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("ent-zyyl")
            let body = #"{"title":"电解精炼工订单班","occupation_code":"6-17-04-04","skills":[{"code":"MET-003","level":4,"weight":3}],"headcount":8,"min_level":"associate","mode":"order_class","region_code":"411202"}"#
            let demand = try await api.post("/v1/demands", token: token, body).string["id"] ?? ""
            let program = try await api.post("/v1/programs", token: try await api.login("col-smxzy"), """
                {"title":"储能材料订单班","specialty_code":"430504","level":"associate","skills":[{"code":"MET-003","level":5}],
                 "capacity":30,"modes":["order_class"],"region_code":"411202","status":"published"}
                """).string["id"] ?? ""
            let deadline = ContinuousClock.now + .seconds(2)
            var found = false
            while ContinuousClock.now < deadline && !found {
                let reply = try await api.get("/v1/demands/\(demand)/matches?limit=3", token: token)
                found = ranking(reply, key: "program").first?.0 == program
                if !found { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(found, "the new program did not reach the top of the recommendations within 2 s")
            // And it leaves them as soon as it is archived.
            _ = try await api.send(.post, "/v1/programs/\(program)/archive", token: try await api.login("col-smxzy"))
            let gone = ContinuousClock.now + .seconds(2)
            var present = true
            while ContinuousClock.now < gone && present {
                let reply = try await api.get("/v1/demands/\(demand)/matches?limit=200", token: token)
                present = ranking(reply, key: "program").contains { $0.0 == program }
                if present { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(!present)
        }
    }

    @Test func aMatchRunOverTheDemoCityFinishesWithAnOptimalAllocationAndGaps() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let start = ContinuousClock.now
            let queued = try await api.post("/v1/match-runs", token: admin, #"{"region_code":"4112"}"#)
            #expect(queued.status == .accepted, "\(queued.text)")
            #expect(queued["timings"] == .null)
            let id = queued.string["id"] ?? ""
            var run = queued
            while run.string["status"] != "done" && run.string["status"] != "failed" && ContinuousClock.now - start < .seconds(20) {
                try await Task.sleep(for: .milliseconds(50))
                run = try await api.get("/v1/match-runs/\(id)", token: admin)
            }
            // How fast is a benchmark's business (docs/BENCHMARKS.md), not a test's.
            #expect(run.string["status"] == "done", "\(run.text)")
            guard case .int(let objective)? = run["objective"], case .int(let assigned)? = run["assigned"] else { return }
            #expect(objective > 0)
            // Each phase's seconds, on the run itself.
            guard case .object(let timings)? = run["timings"] else { Issue.record("no timings: \(run.text)"); return }
            #expect(timings.keys.sorted() == ["gaps", "scoring", "snapshot", "solve", "store"])
            for (phase, value) in timings {
                let seconds: Double? = switch value { case .int(let n): Double(n); case .double(let x): x; default: nil }
                #expect(seconds.map { $0 >= 0 && $0 < 20 } == true, "\(phase): \(value)")
            }
            // The stored assignments add up to the reported totals and respect every bound.
            var items: [JSONValue] = []
            var cursor: String? = nil
            repeat {
                let page = try await api.get("/v1/match-runs/\(id)/assignments?limit=200" + (cursor.map { "&after=\($0)" } ?? ""), token: admin)
                items += page.items
                cursor = page.string["next_cursor"]
            } while cursor != nil
            var seats = 0
            var total = 0
            for case .object(let item) in items {
                if case .int(let s)? = item["seats"], case .int(let score)? = item["score"] {
                    seats += s
                    total += s * score
                }
            }
            #expect(seats == assigned)
            #expect(total == objective)
            let gaps = try await api.get("/v1/match-runs/\(id)/gaps", token: admin)
            #expect(gaps.status == .ok)
            for key in ["by_occupation", "by_skill", "by_county", "by_specialty"] { #expect(gaps[key] != nil) }
        }
    }

    @Test func matchRunsTakeOnlyTheBureauAndValidScopes() async throws {
        try await withAPI { api async throws in
            #expect(try await api.post("/v1/match-runs", token: try await api.login("ent-zyyl"), "{}").status == .forbidden)
            let bad = try await api.post("/v1/match-runs", token: try await api.admin(), #"{"region_code":"41a","mode":"x","occupation_prefix":"6-1x"}"#)
            #expect(Set(bad.errorFields) == ["region_code", "mode", "occupation_prefix"])
            // Digits that begin no region code of the reference data (DOMAIN.md: every region_code is validated).
            let nowhere = try await api.post("/v1/match-runs", token: try await api.admin(), #"{"region_code":"9999"}"#)
            #expect(nowhere.errorFields == ["region_code"], "\(nowhere.text)")
            #expect(try await api.count("match_runs") == 0)
            #expect(try await api.get("/v1/match-runs/3f1c9a2e-0000-4000-8000-000000000000", token: try await api.admin()).status == .notFound)
            // A scope that selects nothing is an empty, valid result.
            let empty = try await api.post("/v1/match-runs", token: try await api.admin(), #"{"region_code":"11"}"#)
            let id = empty.string["id"] ?? ""
            var run = empty
            for _ in 0..<100 where run.string["status"] != "done" {
                try await Task.sleep(for: .milliseconds(50))
                run = try await api.get("/v1/match-runs/\(id)", token: try await api.admin())
            }
            #expect(run.string["status"] == "done")
            #expect(run["objective"] == .int(0))
            #expect(try await api.get("/v1/match-runs/\(id)/assignments", token: try await api.admin()).items.isEmpty)
            let everywhere = try await api.post("/v1/match-runs", token: try await api.admin(), "{}")
            #expect(everywhere.status == .accepted, "\(everywhere.text)")
        }
    }

    @Test func aRunLeftRunningByADeadWorkerIsTakenUpAgain() async throws {
        try await withAPI { api async throws in
            // A run a crashed instance claimed a while ago: its job's lease ran out.
            var id = ""
            for try await value in try await api.store.client.query(
                """
                WITH run AS (INSERT INTO match_runs (region_code, status, started_at, attempts)
                             VALUES ('4112', 'running', now() - interval '10 minutes', 1) RETURNING id)
                INSERT INTO jobs (kind, subject, attempts, locked_by, locked_until)
                SELECT 'match_run', id, 1, 'a dead worker', now() - interval '9 minutes' FROM run RETURNING subject::text
                """
            ).decode(String.self) { id = value }
            let admin = try await api.admin()
            var run = try await api.get("/v1/match-runs/\(id)", token: admin)
            for _ in 0..<100 where run.string["status"] != "done" {
                try await Task.sleep(for: .milliseconds(50))
                run = try await api.get("/v1/match-runs/\(id)", token: admin)
            }
            #expect(run.string["status"] == "done")
            #expect(try await api.count("match_runs WHERE attempts = 2") == 1)
            #expect(try await api.count("jobs") == 0)
        }
    }
}
