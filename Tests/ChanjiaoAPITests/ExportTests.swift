import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import HTTPTypes
import Testing

/// Exports: what the lists show the caller, all of it, with the lists' filters; CSV that Excel
/// opens (BOM, Chinese headers, no formulas), NDJSON for systems.
@Suite struct ExportTests {
    /// The CSV's records after the BOM and the header (parsed as RFC 4180).
    static func csvRows(_ reply: Reply) throws -> (header: [String], rows: [[String]]) {
        #expect(reply.text.hasPrefix(CSV.byteOrderMark), "a UTF-8 BOM first")
        let records = try CSV.records(String(reply.text.dropFirst()))
        return (records.first?.fields ?? [], records.dropFirst().map(\.fields))
    }

    /// Every item of a list, page after page.
    static func all(_ api: TestAPI, _ path: String, token: String) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var cursor: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let page = try await api.get(path + separator + "limit=200" + (cursor.map { "&after=\($0)" } ?? ""), token: token)
            guard page.status == .ok else { throw TestSetupError("\(path): \(page.status) \(page.text)") }
            items += page.items
            cursor = page.string["next_cursor"]
        } while cursor != nil
        return items
    }

    @Test func cellsAreWrittenForExcelAndGuardedAgainstFormulas() {
        #expect(ExchangeCell.text(.string("=HYPERLINK(\"http://x\")")) == "'=HYPERLINK(\"http://x\")")
        for start in ["+", "-", "@", "\t", "\r"] { #expect(ExchangeCell.text(.string(start + "1")) == "'" + start + "1") }
        #expect(ExchangeCell.text(.int(-5)) == "-5")
        #expect(ExchangeCell.text(.bool(true)) == "true")
        #expect(ExchangeCell.text(.null) == "" && ExchangeCell.text(nil) == "")
        #expect(ExchangeCell.text(.array([.string("order_class"), .string("internship")])) == "order_class;internship")
        let skills = JSONValue.array([
            .object(["code": .string("MET-001"), "level": .int(3), "weight": .int(2)]), .object(["code": .string("WLD-002"), "level": .int(1)]),
        ])
        #expect(ExchangeCell.text(skills) == "MET-001:3:2;WLD-002:1")
        let line = ExportKind.talents.line(.object(["name": .string("张三"), "consent": .object(["share_with_enterprises": .bool(false)])]))
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        #expect(fields[3] == "张三" && fields[11] == "false")
        #expect(ExportKind.talents.headerLine.hasPrefix("标识,数据来源,外部标识,姓名,手机号"))
    }

    @Test func programsExportAsTheListShowsThemFilteredAndInFull() async throws {
        try await withAPI { api async throws in
            let college = try await api.login("col-smxzy")
            let formula = programBody.replacingOccurrences(of: "\"title\":\"", with: "\"title\":\"=1+2 ")
            #expect(try await api.post("/v1/programs", token: college, formula).status == .created)
            let listed = try await Self.all(api, "/v1/programs", token: college)
            let reply = try await api.get("/v1/exports/programs", token: college)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(reply.headers[.contentDisposition]?.contains("programs.csv") == true)
            let (header, rows) = try Self.csvRows(reply)
            #expect(header == ExportKind.programs.columns.map(\.header))
            #expect(header.first == "标识" && header.contains("项目名称"))
            #expect(rows.count == listed.count && rows.map { $0[0] } == listed.compactMap { $0["id"].flatMap { if case .string(let s) = $0 { s } else { nil } } })
            #expect(rows.contains { $0[3].hasPrefix("'=1+2 ") }, "a formula stays text")
            // The list's filters, and its refusals.
            let filtered = try Self.csvRows(try await api.get("/v1/exports/programs?region_code=411282", token: college)).rows
            #expect(filtered.count == (try await Self.all(api, "/v1/programs?region_code=411282", token: college)).count)
            #expect(try await api.get("/v1/exports/programs?colour=red", token: college).errorFields == ["colour"])
            #expect(try await api.get("/v1/exports/programs?limit=5", token: college).errorFields == ["limit"])
            #expect(try await api.get("/v1/exports/programs?format=xlsx", token: college).errorFields == ["format"])
            #expect(try await api.get("/v1/exports/programs?run=\(UUID())", token: college).errorFields == ["run"])
            #expect(try await api.get("/v1/exports/widgets", token: college).status == .notFound)
            #expect(try await api.get("/v1/exports/programs").status == .unauthorized)
            // NDJSON: one document per line, the list's documents.
            let lines = try await api.get("/v1/exports/programs?format=ndjson", token: college)
            #expect(lines.headers[.contentType] == "application/x-ndjson; charset=utf-8")
            let documents = lines.text.split(separator: "\n").map { try? JSONValue.parse(Data($0.utf8)) }
            #expect(documents.count == listed.count && documents.allSatisfy { $0 != nil })
            #expect(documents.compactMap { $0 } == listed)
        }
    }

    @Test func thousandsOfRecordsStreamAcrossManyBatchesInOrder() async throws {
        try await withAPI { api async throws in
            try await api.store.client.query(
                """
                INSERT INTO demands (enterprise_id, title, occupation_code, skills, headcount, min_level, mode, region_code)
                SELECT enterprise_id, title || ' ' || g, occupation_code, skills, headcount, min_level, mode, region_code
                FROM (SELECT * FROM demands ORDER BY id LIMIT 1) d, generate_series(1, 2600) g
                """)
            let total = try await api.count("demands")
            let reply = try await api.get("/v1/exports/demands?format=csv", token: try await api.admin())
            let rows = try Self.csvRows(reply).rows
            #expect(rows.count == total)
            #expect(rows.map { $0[0] } == rows.map { $0[0] }.sorted(), "ordered by id")
            #expect(Set(rows.map { $0[0] }).count == total)
        }
    }

    @Test func talentsGoToTheBureauAndTheirSourcePartnerOnlyAndTheReadIsAudited() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            #expect(try await api.get("/v1/exports/talents", token: try await api.login("ent-zyyl")).status == .forbidden)
            #expect(try await api.get("/v1/exports/talents", token: try await api.login("col-smxzy")).status == .forbidden)
            let unbound = try await ApiKeyTests.key(api, admin, #"{"name":"导出","scopes":["exports:read"]}"#).key
            #expect(try await api.get("/v1/exports/talents", token: unbound).status == .forbidden)
            let feedOnly = try await ApiKeyTests.key(api, admin, #"{"name":"变更","scopes":["feed:read"],"source":"talent-web"}"#).key
            #expect(try await api.get("/v1/exports/talents", token: feedOnly).status == .forbidden)
            let bound = try await ApiKeyTests.key(api, admin, #"{"name":"人才网导出","scopes":["exports:read"],"source":"talent-web"}"#).key
            let own = try Self.csvRows(try await api.get("/v1/exports/talents", token: bound)).rows
            #expect(!own.isEmpty && own.allSatisfy { $0[1] == "talent-web" })
            #expect(own.count == (try await api.count("talents WHERE source = 'talent-web'")))
            #expect(own.allSatisfy { !$0[3].contains("*") }, "names unmasked for their source")
            let all = try Self.csvRows(try await api.get("/v1/exports/talents", token: admin)).rows
            #expect(all.count == (try await api.count("talents")))
            #expect(try await api.count("audit_events WHERE action = 'read_personal' AND after->>'export' = 'talents'") == 2)
        }
    }

    @Test func anExportOfTalentsThatBreaksOffIsStillAuditedAsRead() async throws {
        try await withAPI { api async throws in
            let plan = try await api.store.exportPlan(.talents, ListRequest(), run: nil, scoreboardDay: nil, caller: .system)
            await #expect(throws: CancellationError.self) {
                try await api.store.streamExport(plan, actor: WriteActor(caller: .system), batch: 2) { _ in throw CancellationError() }
            }
            #expect(try await api.count("audit_events WHERE action = 'read_personal' AND after->>'export' = 'talents' AND after->>'count' = '2' AND after->>'complete' = 'false'") == 1)
        }
    }

    @Test func theLedgerScoreboardAndMatchRunsExportToTheirReaders() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let enterprise = try await api.login("ent-zyyl")
            let zyyl = try await api.id("enterprises", where: "name", is: "中原冶炼厂")
            let ownRewards = try Self.csvRows(try await api.get("/v1/exports/rewards", token: enterprise)).rows
            #expect(ownRewards.allSatisfy { $0[2] == zyyl })
            #expect(try Self.csvRows(try await api.get("/v1/exports/rewards", token: admin)).rows.count == (try await api.count("rewards")))
            #expect(try await api.get("/v1/exports/rewards", token: try await api.login("col-smxzy")).status == .forbidden)
            // The ledger's own filters, `year` among them, as its list takes them.
            let year = try Self.csvRows(try await api.get("/v1/exports/rewards?year=2026", token: admin)).rows
            #expect(year.count == (try await api.count("rewards WHERE year = 2026")))
            #expect(try await api.get("/v1/exports/rewards?as_of=2026-01-01", token: admin).errorFields == ["as_of"])

            let board = try await api.get("/v1/scoreboard?year=2026", token: admin)
            let (header, rows) = try Self.csvRows(try await api.get("/v1/exports/scoreboard?year=2026", token: enterprise))
            #expect(header.first == "排名" && rows.count == board.items.count)
            #expect(try await api.get("/v1/exports/scoreboard?year=1900", token: enterprise).errorFields == ["year"])

            let run = try await api.post("/v1/match-runs", token: admin, #"{"region_code":"4112"}"#).string["id"] ?? ""
            _ = try await WebhookTests.eventually(api, "/v1/match-runs/\(run)", token: admin) { $0.string["status"] == "done" }
            let assignments = try await Self.all(api, "/v1/match-runs/\(run)/assignments", token: admin)
            let exported = try Self.csvRows(try await api.get("/v1/exports/match-run-assignments?run=\(run)", token: admin)).rows
            #expect(exported.count == assignments.count && !exported.isEmpty)
            let gaps = try Self.csvRows(try await api.get("/v1/exports/match-run-gaps?run=\(run)", token: admin))
            #expect(gaps.header == ["维度", "代码", "未满足人数", "未使用名额"] && !gaps.rows.isEmpty)
            #expect(try await api.get("/v1/exports/match-run-gaps", token: admin).errorFields == ["run"])
            #expect(try await api.get("/v1/exports/match-run-gaps?run=\(UUID())", token: admin).status == .notFound)
            #expect(try await api.get("/v1/exports/match-run-gaps?run=\(run)", token: enterprise).status == .forbidden)
        }
    }
}
