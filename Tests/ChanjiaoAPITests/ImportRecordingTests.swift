import ChanjiaoDomain
@testable import ChanjiaoStore
import Foundation
import Testing

/// An import writes the audit and outbox rows of the records it changes in SQL, in the same
/// statement (BulkRecording.swift). Those rows must be exactly what the write path's Swift rules
/// (`AuditRecord.project`, `FeedRow`) make of the same documents before and after.
@Suite struct ImportRecordingTests {
    /// Every kind: a file that creates two records, then one that changes one of them.
    static let files: [(kind: String, resource: Resource, user: String, query: String, create: String, change: String)] = [
        (
            "talents", .talents, "talent-web", "",
            """
            external_id,name,phone,skills,education_level,region_codes,consent.share_with_enterprises,consent.given_at
            R-1,张三,13800000001,MET-001:3,associate,411202,true,2026-11-01T08:00:00Z
            R-2,李四,,,secondary,,false,2026-11-02T08:00:00Z

            """,
            """
            external_id,name,phone,skills,education_level,region_codes,consent.share_with_enterprises,consent.given_at
            R-1,张三丰,13800000001,MET-001:4;MET-002:2,associate,411202;411203,true,2026-11-01T08:00:00Z
            R-2,李四,,,secondary,,false,2026-11-02T08:00:00Z

            """
        ),
        (
            "programs", .programs, "col-smxzy", "",
            """
            external_id,title,specialty_code,level,skills,capacity,modes,region_code,status
            RP-1,冶金技术订单班,430501,associate,MET-001:3,30,order_class,411202,published
            RP-2,焊接短训班,420501,short_term,,20,internship,411202,

            """,
            """
            external_id,title,specialty_code,level,skills,capacity,modes,region_code,status
            RP-1,冶金技术订单班（二期）,430501,associate,MET-001:3,40,order_class;internship,411203,published
            RP-2,焊接短训班,420501,short_term,,20,internship,411202,

            """
        ),
        (
            "demands", .demands, "ent-zyyl", "",
            """
            external_id,title,occupation_code,skills,headcount,min_level,mode,region_code
            RD-1,冶炼工,6-17-06-01,MET-001:3:2,5,secondary,employment,411202
            RD-2,焊工,6-17-06-01,,2,short_term,internship,411202

            """,
            """
            external_id,title,occupation_code,skills,headcount,min_level,mode,region_code
            RD-1,冶炼工,6-17-06-01,MET-001:3:2,8,secondary,employment,411203
            RD-2,焊工,6-17-06-01,,2,short_term,internship,411202

            """
        ),
    ]

    @Test func importedChangesAreRecordedByTheWritePathsRules() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let uscc = (USCC.withCheckCharacters("91411202" + "MA9XK7R1")!, USCC.withCheckCharacters("91411202" + "MA9XK7R2")!)
            let enterprises = (
                "enterprises", Resource.enterprises, "admin", "",
                "name,uscc,region_code,size\n记录一实业有限公司,\(uscc.0),411202,small\n记录二实业有限公司,\(uscc.1),411202,medium\n",
                "name,uscc,region_code,size\n记录一实业集团有限公司,\(uscc.0),411203,large\n记录二实业有限公司,\(uscc.1),411202,medium\n"
            )
            for file in Self.files + [enterprises] {
                let token = file.user == "admin" ? admin : try await api.login(file.user)
                let existing = Set(try await Self.documents(api, file.resource).keys)
                let made = try await ImportTests.importFile(api, file.kind, token: token, file.create, query: file.query)
                #expect(ImportTests.report(made) == (2, 0, 0), "\(file.kind): \(made.text)")
                let first = try await Self.documents(api, file.resource)
                let changed = try await ImportTests.importFile(api, file.kind, token: token, file.change, query: file.query)
                #expect(ImportTests.report(changed) == (1, 1, 0), "\(file.kind): \(changed.text)")
                let second = try await Self.documents(api, file.resource)

                let ids = second.keys.filter { !existing.contains($0) }
                #expect(ids.count == 2, "\(file.kind): two records imported")
                for id in ids {
                    let (audits, outbox) = try await Self.rows(api, id)
                    let after = second[id]!
                    let changes: [(before: JSONValue?, after: JSONValue)] = first[id] == after ? [(nil, after)] : [(nil, first[id]!), (first[id]!, after)]
                    #expect(audits.count == changes.count && outbox.count == changes.count, "\(file.kind) \(id): one row each per change")
                    for (index, change) in changes.enumerated() where index < audits.count && index < outbox.count {
                        let action = change.before == nil ? "created" : "updated"
                        let expected = AuditRecord.project(file.resource.singular, before: change.before, after: change.after)
                        #expect(audits[index].action == action)
                        #expect(audits[index].before == expected.before, "\(file.kind) \(action) audit before")
                        #expect(audits[index].after == expected.after, "\(file.kind) \(action) audit after")
                        let feed = FeedRow(.registry(file.resource), id: id, before: change.before, after: change.after)
                        #expect(outbox[index].type == "\(file.resource.singular).\(action)")
                        #expect(outbox[index].data == feed.data, "\(file.kind) \(action) outbox data")
                        #expect(outbox[index].organization == feed.organizationID)
                        #expect(outbox[index].region == feed.regionCode)
                        #expect(outbox[index].source == feed.source)
                    }
                }
            }
        }
    }

    /// The resource's documents as writers see them, by id.
    static func documents(_ api: TestAPI, _ resource: Resource) async throws -> [UUID: JSONValue] {
        let rows = try await api.store.client.query(
            "SELECT r.id, \(unescaped: resource.writtenDocument("r"))::text FROM \(unescaped: resource.table) r"
        ).decode((UUID, String).self)
        var documents: [UUID: JSONValue] = [:]
        for try await (id, json) in rows { documents[id] = try JSONValue.parse(Data(json.utf8)) }
        return documents
    }

    /// The record's audit rows and outbox rows, oldest first.
    static func rows(_ api: TestAPI, _ id: UUID) async throws -> (
        audits: [(action: String, before: JSONValue?, after: JSONValue?)],
        outbox: [(type: String, data: JSONValue, organization: UUID?, region: String?, source: String?)]
    ) {
        var audits: [(action: String, before: JSONValue?, after: JSONValue?)] = []
        for try await (action, before, after) in try await api.store.client.query(
            "SELECT action, before::text, after::text FROM audit_events WHERE object_id = \(id) ORDER BY id"
        ).decode((String, String?, String?).self) {
            audits.append((action, try before.map { try JSONValue.parse(Data($0.utf8)) }, try after.map { try JSONValue.parse(Data($0.utf8)) }))
        }
        var outbox: [(type: String, data: JSONValue, organization: UUID?, region: String?, source: String?)] = []
        for try await (type, data, organization, region, source) in try await api.store.client.query(
            "SELECT type, data::text, organization_id, region_code, source FROM outbox_events WHERE resource_id = \(id) ORDER BY id"
        ).decode((String, String, UUID?, String?, String?).self) {
            outbox.append((type, try JSONValue.parse(Data(data.utf8)), organization, region, source))
        }
        return (audits, outbox)
    }
}
