import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Testing

@Suite struct ReferenceTests {
    @Test func regionsAreTheFullListWithParents() async throws {
        try await withAPI { api async throws in
            let county = try await api.get("/v1/regions/411282")
            #expect(county.string["name"] == "灵宝市")
            #expect(county.string["parent_code"] == "411200")
            let city = try await api.get("/v1/regions?parent_code=411200")
            let codes = Set(city.items.compactMap { item -> String? in
                if case .object(let o) = item, case .string(let c)? = o["code"] { return c }
                return nil
            })
            #expect(codes.isSuperset(of: ["411202", "411203", "411221", "411224", "411281", "411282"]))
            #expect(try await api.count("regions") == 3213)
            #expect(try await api.get("/v1/regions/999999").status == .notFound)
        }
    }

    @Test func taxonomiesListSkillsWithTheirGroups() async throws {
        try await withAPI { api async throws in
            let skill = try await api.get("/v1/taxonomy/skills/MET-001")
            #expect(skill.string["parent"] == "MET")
            let metallurgy = try await api.get("/v1/taxonomy/skills?parent=MET&limit=500")
            #expect(!metallurgy.items.isEmpty)
            let software = try await api.get("/v1/taxonomy/specialties/510203")
            #expect(software.string["name"] == "软件技术")
            #expect(try await api.get("/v1/taxonomy/occupations?q=2-02").items.count > 0)
            #expect(try await api.get("/v1/taxonomy/occupations?size=3").errorFields == ["size"])
        }
    }

    @Test func theTaxonomyImporterReportsRowsAndHonoursItsMode() async throws {
        try await withAPI { api async throws in
            let csv = "code,name,parent\nNEW,新技能组,\nNEW-001,新技能一,NEW\nNEW-002,,NEW\nNEW-003,孤儿技能,NOPE\n"
            let strict = try await api.store.importTaxonomy(.skills, text: csv, mode: .allOrNothing)
            #expect(strict.accepted == 0)
            #expect(strict.rejected == 4)
            #expect(Set(strict.errors.map(\.row)) == [4, 5])
            #expect(try await api.count("skills WHERE code LIKE 'NEW%'") == 0)
            let lenient = try await api.store.importTaxonomy(.skills, text: csv, mode: .validRows)
            #expect(lenient.accepted == 2)
            #expect(lenient.rejected == 2)
            #expect(try await api.count("skills WHERE code LIKE 'NEW%'") == 2)
            let broken = try await api.store.importTaxonomy(.occupations, text: "code,name\n\"1-01-01-01,未闭合\n", mode: .validRows)
            #expect(broken.accepted == 0 && broken.errors.first?.row == 2)
            // Chinese headers are the columns' other names; an unknown one still fails the file.
            let chinese = try await api.store.importTaxonomy(.occupations, text: "编码,名称\n1-01-01-01,x\n", mode: .validRows)
            #expect(chinese.errors.isEmpty && chinese.accepted == 1)
            let header = try await api.store.importTaxonomy(.occupations, text: "编号,名称\n1-01-01-01,x\n", mode: .validRows)
            #expect(header.errors.first?.field == "$")
        }
    }

    @Test func syntheticDataIsDeterministicAndValid() async throws {
        try await withAPI { api async throws in
            let before = try await api.count("programs")
            let counts = try await SyntheticSeeder(store: api.store).seed(programs: 60, demands: 200, talents: 50)
            #expect(counts.programs == 60 && counts.demands == 200)
            #expect(try await api.count("programs") == before + 60)
            #expect(try await api.count("demands WHERE id = md5('demand-7')::uuid") == 1)
            #expect(try await api.count("talents WHERE source = 'synthetic'") == 50)
            // Running again adds nothing: the ids are the same.
            _ = try await SyntheticSeeder(store: api.store).seed(programs: 60, demands: 200, talents: 50)
            #expect(try await api.count("programs") == before + 60)
            // The rows read back through the API like any other.
            let demand = try await api.get("/v1/demands/\(UUID(uuidString: "00000000-0000-0000-0000-000000000000")!)")
            #expect(demand.status == .notFound)
            var id = ""
            for try await value in try await api.store.client.query("SELECT md5('program-1')::uuid::text").decode(String.self) { id = value }
            let program = try await api.get("/v1/programs/\(id)")
            #expect(program.status == .ok)
            #expect(program.string["status"] == "published")
        }
    }
}
