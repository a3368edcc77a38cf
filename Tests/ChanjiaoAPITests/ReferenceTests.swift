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
            let metallurgy = try await api.get("/v1/taxonomy/skills?parent=MET&limit=200")
            #expect(try await api.get("/v1/regions?limit=201").errorFields == ["limit"])
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

    /// `--taxonomy-scale 3`: two generated copies of the taxonomy, records drawn from copy n mod
    /// 3, and no skill, occupation or minor group shared across copies (so cross-copy pairs
    /// stay below min_score and eligible pairs fall about threefold).
    @Test func aScaledTaxonomyKeepsItsCopiesApart() async throws {
        try await withAPI { api async throws in
            let shipped = (
                skills: try await api.count("skills"), occupations: try await api.count("occupations"),
                specialties: try await api.count("specialties"))
            _ = try await SyntheticSeeder(store: api.store).seed(programs: 90, demands: 300, talents: 30, taxonomyScale: 3)
            #expect(try await api.count("skills") == 3 * shipped.skills)
            #expect(try await api.count("occupations") == 3 * shipped.occupations)
            #expect(try await api.count("specialties") == 3 * shipped.specialties)
            // Every specialty of a copy relates only to occupations of the same copy.
            #expect(try await api.count("specialties s, unnest(s.related_occupation_codes) r WHERE (s.code LIKE '9%') <> (r LIKE '9-%') OR (s.code LIKE '9%' AND substr(s.code, 2, 2) <> substr(r, 3, 2))") == 0)
            // Demand n: occupation and skills from copy n mod 3.
            let copyOf = """
                CASE WHEN d.occupation_code LIKE '9-%' THEN substr(d.occupation_code, 3, 2)::int ELSE 0 END
                """
            #expect(try await api.count("demands d JOIN generate_series(1, 300) n ON d.id = md5('demand-' || n)::uuid WHERE \(copyOf) <> n % 3") == 0)
            #expect(try await api.count("demands d, jsonb_array_elements(d.skills) s WHERE d.id IN (SELECT md5('demand-' || n)::uuid FROM generate_series(1, 300) n) AND (s->>'code' ~ '^Q[A-Z]{4}') <> (\(copyOf) > 0)") == 0)
            #expect(try await api.count("programs p JOIN generate_series(1, 90) n ON p.id = md5('program-' || n)::uuid WHERE (p.specialty_code LIKE '9%') <> (n % 3 > 0)") == 0)
            // Seeding again at the same scale adds nothing.
            _ = try await SyntheticSeeder(store: api.store).seed(programs: 90, demands: 300, talents: 30, taxonomyScale: 3)
            #expect(try await api.count("occupations") == 3 * shipped.occupations)
        }
    }
}
