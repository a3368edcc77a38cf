import ChanjiaoDomain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Bulk imports: CSV (UTF-8, BOM or not, or GB18030 as Excel saves it; English or Chinese
/// headers) and NDJSON, row-by-row reports, idempotent by natural key, nothing written when a
/// file is refused.
@Suite struct ImportTests {
    static let talentsCSV = """
        外部标识,姓名,手机号,技能,学历层次,意向职业代码,意向地区代码,同意向企业展示,同意时间\r
        T-1,张三,13800000001,MET-001:3;MET-002:2,associate,6-17-04-01,411202;411203,是,2026-11-01T08:00:00Z\r
        T-2,李四,13800000002,,secondary,,,否,2026-11-02T08:00:00Z\r
        T-3,"王,五",,MET-001:4,bachelor,,411202,true,2026-11-03T08:00:00Z\r

        """

    static func importFile(
        _ api: TestAPI, _ kind: String, token: String, _ text: String, contentType: String = "text/csv", query: String = ""
    ) async throws -> Reply {
        try await importBytes(api, kind, token: token, Array(text.utf8), contentType: contentType, query: query)
    }

    static func importBytes(
        _ api: TestAPI, _ kind: String, token: String, _ bytes: [UInt8], contentType: String = "text/csv", query: String = ""
    ) async throws -> Reply {
        try await api.send(.post, "/v1/imports/\(kind)" + query, token: token, contentType: contentType, bytes: bytes)
    }

    /// The text in GB18030, as Excel and WPS on Chinese Windows save a CSV file.
    static func gb18030(_ text: String) throws -> [UInt8] {
        guard let bytes = ImportText.convert(Array(text.utf8), from: "UTF-8", to: "GB18030") else { throw TestSetupError("iconv failed") }
        return bytes
    }

    static func report(_ reply: Reply) -> (accepted: Int, unchanged: Int, rejected: Int) {
        func number(_ key: String) -> Int { if case .int(let n)? = reply[key] { n } else { -1 } }
        return (number("accepted"), number("unchanged"), number("rejected"))
    }

    static func errors(_ reply: Reply) -> [(row: Int, field: String)] {
        guard case .array(let items)? = reply["errors"] else { return [] }
        return items.compactMap { item in
            guard case .int(let row)? = item["row"], case .string(let field)? = item["field"] else { return nil }
            return (row, field)
        }
    }

    @Test func talentsComeInOnceAndAReimportChangesNothing() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let key = try await ApiKeyTests.key(api, admin, #"{"name":"人才网","scopes":["talents:write"],"source":"talent-web"}"#).key
            let before = (try await api.count("outbox_events"), try await api.count("audit_events"))
            let first = try await Self.importFile(api, "talents", token: key, CSV.byteOrderMark + Self.talentsCSV)
            #expect(first.status == .ok, "\(first.text)")
            #expect(Self.report(first) == (3, 0, 0))
            #expect(try await api.count("talents WHERE source = 'talent-web' AND external_id LIKE 'T-%'") == 3)
            #expect(try await api.count("talents WHERE external_id = 'T-3' AND name = '王,五' AND phone IS NULL AND share_with_enterprises") == 1)
            #expect(try await api.count("talents WHERE external_id = 'T-1' AND region_codes = '{411202,411203}' AND skills @> '[{\"code\":\"MET-002\",\"level\":2}]'") == 1)
            // One audit row for the import, one per record; one outbox row per record, no name or phone.
            #expect(try await api.count("outbox_events") == before.0 + 3)
            #expect(try await api.count("audit_events") == before.1 + 4)
            #expect(try await api.count("outbox_events WHERE type = 'talent.created' AND NOT data ? 'name' AND NOT data ? 'phone'") >= 3)

            // The same file again: every row unchanged, no version bumped, nothing recorded but the import.
            let again = try await Self.importFile(api, "talents", token: key, Self.talentsCSV)
            #expect(Self.report(again) == (0, 3, 0), "\(again.text)")
            #expect(try await api.count("talents WHERE external_id LIKE 'T-%' AND version = 1") == 3)
            #expect(try await api.count("outbox_events") == before.0 + 3)

            // One row changed: one update.
            let changed = try await Self.importFile(api, "talents", token: key, Self.talentsCSV.replacingOccurrences(of: "李四", with: "李思"))
            #expect(Self.report(changed) == (1, 2, 0))
            #expect(try await api.count("talents WHERE external_id = 'T-2' AND version = 2 AND name = '李思'") == 1)
            #expect(try await api.count("outbox_events WHERE type = 'talent.updated'") == 1)

            // NDJSON with Windows line ends; names a spreadsheet would take for formulas, one of
            // them already behind a `'`, one with a combining mark after its `=`.
            let tricky = ["'=SUM(1,2)", "=\u{301}HYPERLINK(1)", "''+1"]
            let lines = tricky.enumerated().map { n, name in
                #"{"external_id":"F-\#(n)","name":"\#(name)","education_level":"associate","consent":{"share_with_enterprises":false,"given_at":"2026-01-01T00:00:00Z"}}"#
            }
            let crlf = try await Self.importFile(api, "talents", token: key, lines.joined(separator: "\r\n") + "\r\n", contentType: "application/x-ndjson")
            #expect(Self.report(crlf) == (3, 0, 0), "\(crlf.text)")
            for (n, name) in tricky.enumerated() {
                #expect(try await api.count("talents WHERE external_id = 'F-\(n)' AND name = '\(name.replacingOccurrences(of: "'", with: "''"))'") == 1, "\(name)")
            }

            // An export by the same partner re-imports unchanged, as CSV and as NDJSON (whose
            // read-only members, like the CSV's read-only columns, are left alone).
            let exporter = try await ApiKeyTests.key(api, admin, #"{"name":"导出","scopes":["exports:read"],"source":"talent-web"}"#).key
            for (format, contentType) in [("csv", "text/csv"), ("ndjson", "application/x-ndjson")] {
                let export = try await api.get("/v1/exports/talents?format=\(format)", token: exporter)
                #expect(format == "csv" || export.text.contains("\"version\""))
                // Every formula start guarded by one more `'`, the combining mark's too.
                #expect(format == "ndjson" || ["''=SUM(1,2)", "'=\u{301}HYPERLINK(1)", "'''+1"].allSatisfy(export.text.contains))
                let reimport = try await Self.importFile(api, "talents", token: key, export.text, contentType: contentType)
                #expect(reimport.status == .ok && Self.report(reimport).accepted == 0, "\(format): \(reimport.text)")
                #expect(Self.report(reimport).unchanged == (try await api.count("talents WHERE source = 'talent-web'")))
            }

            // The bureau names the source; another partner's rows are not the key's.
            #expect(try await Self.importFile(api, "talents", token: admin, Self.talentsCSV).errorFields == ["source"])
            let bureau = try await Self.importFile(api, "talents", token: admin, Self.talentsCSV, query: "?source=city-fair")
            #expect(Self.report(bureau) == (3, 0, 0))
            let foreign = Self.talentsCSV.replacingOccurrences(of: "外部标识,", with: "数据来源,外部标识,")
                .replacingOccurrences(of: "\r\nT-", with: "\r\nother-site,T-")
            #expect(Self.errors(try await Self.importFile(api, "talents", token: key, foreign)).map(\.field) == ["source", "source", "source"])
        }
    }

    @Test func aGB18030FileSavedByExcelReadsLikeItsUTF8() async throws {
        try await withAPI { api async throws in
            let partner = try await api.login("talent-web")
            let bytes = try Self.gb18030(Self.talentsCSV.replacingOccurrences(of: "\nT-", with: "\nG-"))
            #expect(String(validating: bytes, as: UTF8.self) == nil, "the test file is not UTF-8")
            let reply = try await Self.importBytes(api, "talents", token: partner, bytes)
            #expect(reply.status == .ok && Self.report(reply) == (3, 0, 0), "\(reply.text)")
            #expect(try await api.count("talents WHERE external_id = 'G-1' AND name = '张三'") == 1)
            // Said by its charset, too; and the same file as UTF-8 is unchanged.
            let said = try await Self.importBytes(api, "talents", token: partner, bytes, contentType: "text/csv; charset=GB18030")
            #expect(Self.report(said) == (0, 3, 0))
            #expect(Self.report(try await Self.importFile(api, "talents", token: partner, Self.talentsCSV.replacingOccurrences(of: "\nT-", with: "\nG-"))) == (0, 3, 0))
        }
    }

    @Test func badFilesGetAClearAnswerAndWriteNothing() async throws {
        try await withAPI { api async throws in
            let partner = try await api.login("talent-web")
            let talents = try await api.count("talents")
            let audit = try await api.count("audit_events")
            let cases: [(String, [UInt8], String)] = [
                ("empty", [], "empty"),
                ("header only", Array((Self.talentsCSV.components(separatedBy: "\r\n").first ?? "").utf8), "no rows"),
                ("NUL", Array("external_id,name\nT-1,张\u{0}三\n".utf8), "NUL"),
                ("neither UTF-8 nor GB18030", Array("external_id,name\nT-1,".utf8) + [0xFF, 0xFF, 0x0A], "neither"),
                ("UTF-16", [0xFF, 0xFE, 0x41, 0x00], "UTF-16"),
                ("semicolons", Array("外部标识;姓名;学历层次\nT-1;张三;associate\n".utf8), "';'"),
                ("missing column", Array("external_id,name\nT-1,张三\n".utf8), "education_level"),
                ("unknown column", Array((Self.talentsCSV.replacingOccurrences(of: "姓名,", with: "姓名,血型,")).utf8), "血型"),
                ("unterminated quote", Array("external_id,name,education_level,consent.share_with_enterprises,consent.given_at\nT-1,\"张三,associate,true,2026-11-01T08:00:00Z\n".utf8), "quote"),
            ]
            for (name, bytes, words) in cases {
                let reply = try await Self.importBytes(api, "talents", token: partner, bytes)
                #expect(reply.status == .unprocessableContent, "\(name): \(reply.status) \(reply.text)")
                #expect(reply.text.contains(words), "\(name): \(reply.text)")
                #expect(Self.report(reply).accepted == 0, "\(name)")
            }
            #expect(try await api.count("talents") == talents)
            #expect(try await api.count("audit_events") == audit)
            // Mixed line endings and a quoted line break are fine.
            let mixed = "external_id,name,education_level,consent.share_with_enterprises,consent.given_at\r\nM-1,张三,associate,true,2026-11-01T08:00:00Z\nM-2,\"李\n四\",associate,false,2026-11-01T08:00:00Z\rM-3,王五,associate,true,2026-11-01T08:00:00Z"
            let accepted = try await Self.importFile(api, "talents", token: partner, mixed)
            #expect(Self.report(accepted) == (3, 0, 0), "\(accepted.text)")
            #expect(try await api.count("talents WHERE external_id = 'M-2' AND name = E'李\\n四'") == 1)
            // The wrong media type, the wrong mode, a body over 64 MiB.
            #expect(try await Self.importFile(api, "talents", token: partner, "{}", contentType: "application/json").status == .unsupportedMediaType)
            #expect(try await Self.importFile(api, "talents", token: partner, mixed, query: "?mode=some").errorFields == ["mode"])
            let huge = [UInt8](repeating: 0x41, count: (64 << 20) + 1)
            #expect(try await Self.importBytes(api, "talents", token: partner, huge).status == .contentTooLarge)
        }
    }

    @Test func eachBadRowIsReportedAndTheModeDecidesWhatIsWritten() async throws {
        try await withAPI { api async throws in
            let partner = try await api.login("talent-web")
            let file = """
                external_id,name,phone,skills,education_level,consent.share_with_enterprises,consent.given_at
                R-1,张三,13800000001,MET-001:3,associate,true,2026-11-01T08:00:00Z
                R-2,,12345,MET-001:3,doctorate,true,2026-11-01T08:00:00Z
                R-3,王五,,NOPE-001:3,associate,maybe,2026-11-01T08:00:00Z
                R-1,张三,13800000001,MET-001:3,associate,true,2026-11-01T08:00:00Z
                R-5,赵六,13800000005,,associate,false,2026-11-01T08:00:00Z

                """
            let strict = try await Self.importFile(api, "talents", token: partner, file)
            #expect(strict.status == .unprocessableContent)
            // A refusal like every other: a problem document, with the report's members.
            #expect(strict.headers[.contentType] == "application/problem+json")
            #expect(strict["type"] == .string("/problems/validation") && strict["status"] == .int(422), "\(strict.text)")
            #expect(Self.report(strict) == (0, 0, 3))
            let fields = Self.errors(strict)
            #expect(fields.filter { $0.row == 3 }.map(\.field).sorted() == ["education_level", "name", "phone"])
            #expect(Set(fields.filter { $0.row == 4 }.map(\.field)) == ["consent.share_with_enterprises"])
            #expect(fields.filter { $0.row == 5 }.map(\.field) == ["external_id"])
            #expect(try await api.count("talents WHERE external_id LIKE 'R-%'") == 0)
            let lenient = try await Self.importFile(api, "talents", token: partner, file, query: "?mode=valid_rows")
            #expect(lenient.status == .ok)
            #expect(Self.report(lenient) == (2, 0, 3), "\(lenient.text)")
            #expect(try await api.count("talents WHERE external_id IN ('R-1', 'R-5')") == 2)
            // A reference that does not exist is the row's error too.
            let unknownSkill = file.replacingOccurrences(of: "maybe", with: "true")
            let report = try await Self.importFile(api, "talents", token: partner, unknownSkill, query: "?mode=valid_rows")
            #expect(Self.errors(report).contains { $0.row == 4 && $0.field == "skills[0].code" }, "\(report.text)")
        }
    }

    @Test func programsAndDemandsByTheirOwnersAndTheBureau() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let college = try await api.login("col-smxzy")
            let collegeID = try await api.id("colleges", where: "name", is: "三门峡职业技术学院")
            let programs = """
                外部标识,项目名称,专业代码,层次,技能,计划名额,合作方式,行政区划代码,状态
                P-1,冶金技术订单班,430501,associate,MET-001:3,30,order_class;internship,411202,published
                P-2,焊接短训班,420501,short_term,,20,internship,411202,

                """
            let made = try await Self.importFile(api, "programs", token: college, programs)
            #expect(Self.report(made) == (2, 0, 0), "\(made.text)")
            #expect(try await api.count("programs WHERE external_id = 'P-1' AND status = 'published' AND capacity = 30") == 1)
            #expect(try await api.count("programs WHERE external_id = 'P-2' AND status = 'draft'") == 1)
            // Its export (its own programs, the demo's among them) re-imports unchanged.
            let export = try await api.get("/v1/exports/programs?college_id=\(collegeID)", token: college)
            let own = try await api.count("programs WHERE college_id = '\(collegeID)'")
            let back = try await Self.importFile(api, "programs", token: college, export.text)
            #expect(Self.report(back) == (0, own, 0), "\(back.text)")
            // A programs:write key of the college, as NDJSON; the bureau names the college.
            let key = try await ApiKeyTests.key(api, admin, #"{"name":"门户","scopes":["programs:write"],"organization_id":"\#(collegeID)"}"#).key
            let ndjson = #"{"external_id":"P-3","title":"数控订单班","specialty_code":"420501","level":"associate","skills":[],"capacity":10,"modes":["order_class"],"region_code":"411202"}"# + "\n"
            #expect(Self.report(try await Self.importFile(api, "programs", token: key, ndjson, contentType: "application/x-ndjson")) == (1, 0, 0))
            #expect(try await Self.importFile(api, "programs", token: admin, programs).text.contains("college_id"), "the bureau needs the column")
            let byBureau = try await Self.importFile(api, "programs", token: admin, programs.replacingOccurrences(of: "状态\n", with: "状态,院校标识\n").replacingOccurrences(of: "published\n", with: "published,\(collegeID)\n").replacingOccurrences(of: "411202,\n", with: "411202,,\(collegeID)\n"))
            #expect(Self.report(byBureau) == (0, 2, 0), "\(byBureau.text)")
            #expect(try await Self.importFile(api, "programs", token: try await api.login("ent-zyyl"), programs).status == .forbidden)

            let enterprise = try await api.login("ent-zyyl")
            let demands = """
                external_id,title,occupation_code,skills,headcount,min_level,mode,region_code
                D-1,冶炼工,6-17-06-01,MET-001:3:2,5,secondary,employment,411202

                """
            #expect(Self.report(try await Self.importFile(api, "demands", token: enterprise, demands)) == (1, 0, 0))
            #expect(Self.report(try await Self.importFile(api, "demands", token: enterprise, demands)) == (0, 1, 0))
            #expect(try await api.count("demands WHERE external_id = 'D-1' AND skills @> '[{\"code\":\"MET-001\",\"level\":3,\"weight\":2}]'") == 1)
            #expect(try await Self.importFile(api, "demands", token: college, demands).status == .forbidden)
        }
    }

    @Test func enterprisesComeInActiveByTheirCodeAndTaxonomiesTakeChineseHeaders() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let uscc = USCC.withCheckCharacters("91411202" + "MA9XK7Q2")!
            let file = "企业名称,统一社会信用代码,行政区划代码,企业规模,联系人,联系电话\n三门峡导入实业有限公司,\(uscc),411202,small,周七,13800000007\n"
            let made = try await Self.importFile(api, "enterprises", token: admin, file)
            #expect(Self.report(made) == (1, 0, 0), "\(made.text)")
            #expect(try await api.count("enterprises WHERE uscc = '\(uscc)' AND status = 'active' AND contact->>'name' = '周七'") == 1)
            #expect(Self.report(try await Self.importFile(api, "enterprises", token: admin, file)) == (0, 1, 0))
            #expect(try await Self.importFile(api, "enterprises", token: try await api.login("ent-zyyl"), file).status == .forbidden)

            let skills = "代码,名称,上级\nNEW,新技能组,\nNEW-001,新技能一,NEW\n"
            let taxonomy = try await Self.importFile(api, "skills", token: admin, skills)
            #expect(Self.report(taxonomy) == (2, 0, 0), "\(taxonomy.text)")
            #expect(Self.report(try await Self.importFile(api, "skills", token: admin, skills)) == (0, 2, 0))
            #expect(try await api.count("audit_events WHERE object_type = 'import' AND action = 'imported'") == 4)
            // The import's own row says what and how many, and the log's filters find it.
            let rows = try await api.get("/v1/audit-events?object_type=import&action=imported", token: admin)
            #expect(rows.items.count == 4, "\(rows.text)")
            #expect(rows.items.contains { $0["after"]?["kind"] == .string("skills") && $0["after"]?["unchanged"] == .int(2) }, "\(rows.text)")
            #expect(try await Self.importFile(api, "skills", token: try await api.login("col-smxzy"), skills).status == .forbidden)
            // A header alone is refused, as for the registry's kinds.
            let empty = try await Self.importFile(api, "occupations", token: admin, "code,name\r\n")
            #expect(empty.status == .unprocessableContent && empty.text.contains("a header but no rows"), "\(empty.text)")
        }
    }

    @Test func importsOfTheSameRecordsInOppositeOrdersBothSucceed() async throws {
        try await withAPI { api async throws in
            let partner = try await api.login("talent-web")
            let header = "外部标识,姓名,学历层次,同意向企业展示,同意时间\n"
            let rows = (0..<3000).map { "R-\($0),人才\($0),associate,否,2026-11-01T08:00:00Z\n" }
            let port = try #require(api.client.port)
            for round in 0..<3 {
                // Each on a connection of its own, so the two imports truly overlap; the second
                // round on, both update every record.
                let files = [header + rows.joined(), header + rows.reversed().joined()].map { $0.replacingOccurrences(of: "2026-11-01", with: "2026-11-0\(round + 1)") }
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for file in files {
                        group.addTask {
                            try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                                try await client.execute(TestClient.Request(
                                    "/v1/imports/talents", method: .post, authority: "localhost",
                                    headers: [.authorization: "Bearer \(partner)", .contentType: "text/csv"], body: ByteBuffer(string: file))).head.status
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses == [.ok, .ok], "round \(round): \(statuses)")
            }
            #expect(try await api.count("talents WHERE external_id LIKE 'R-%' AND consent_given_at = '2026-11-03T08:00:00Z'") == 3000)
        }
    }

    @Test func anotherInstanceForgetsTheDocumentsABulkImportChanged() async throws {
        try await withAPI { api async throws in
            let college = try await api.login("col-smxzy")
            // Over 100 rows: the statement announces `programs:*`, not each row.
            @Sendable func file(_ capacity: Int) -> String {
                "external_id,title,specialty_code,level,skills,capacity,modes,region_code,status\n"
                    + (1...101).map { "BK-\($0),批量订单班\($0),430501,associate,,\(capacity),internship,411202,published\n" }.joined()
            }
            #expect(Self.report(try await Self.importFile(api, "programs", token: college, file(10))) == (101, 0, 0))
            let id = try await api.id("programs", where: "external_id", is: "BK-1")
            guard let url = api.url else { throw TestSetupError("the test has no database URL") }
            try await withInstance(url, store: api.store) { other async throws in
                #expect(try await other.get("/v1/programs/\(id)")["capacity"] == .int(10), "read, and cached, by the other instance")
                #expect(Self.report(try await Self.importFile(api, "programs", token: college, file(20))) == (101, 0, 0))
                try await WebhookTests.waitUntil { try await other.get("/v1/programs/\(id)")["capacity"] == .int(20) }
            }
        }
    }
}
