import ChanjiaoDomain
import Foundation
import Testing

/// The shipped taxonomies and demo data (Config/), read with the domain's own CSV reader and
/// checked with its validators: what the importer will accept must hold here too.
@Suite struct DemoDataTests {
    static let demoCounties: Set<String> = ["411202", "411203", "411221", "411224", "411281", "411282"]

    static func table(_ path: String) throws -> CSVTable {
        try CSV.table(RepoFiles.text(path))
    }

    struct Taxonomy {
        let groups: Set<String>
        let skills: Set<String>
        let occupations: Set<String>
        let specialties: [String: CSVRow]
        let regions: Set<String>
    }

    static func taxonomy() throws -> Taxonomy {
        let skillRows = try table("Config/taxonomy/skills.csv").rows
        return Taxonomy(
            groups: Set(skillRows.filter { $0["parent"] == "" }.map { $0["code"]! }),
            skills: Set(skillRows.filter { $0["parent"] != "" }.map { $0["code"]! }),
            occupations: Set(try table("Config/taxonomy/occupations.csv").rows.map { $0["code"]! }),
            specialties: Dictionary(
                uniqueKeysWithValues: try table("Config/taxonomy/specialties.csv").rows.map { ($0["code"]!, $0) }),
            regions: Set(
                try RegionCatalog.parse(RepoFiles.text("Config/regions/gbt2260-regions-2024.txt")).map(\.code)))
    }

    // MARK: taxonomies

    @Test func skillsAreWellFormedUniqueAndBelongToAGroup() throws {
        let table = try Self.table("Config/taxonomy/skills.csv")
        #expect(table.header == ["code", "name", "parent"])
        let groups = Set(table.rows.filter { $0["parent"] == "" }.map { $0["code"]! })
        #expect((12...16).contains(groups.count))
        #expect(table.rows.count - groups.count >= 110)
        var seen = Set<String>()
        for row in table.rows {
            let code = row["code"]!, parent = row["parent"]!
            #expect(seen.insert(code).inserted, "line \(row.line): \(code) twice")
            #expect(!row["name"]!.isEmpty, "line \(row.line)")
            if parent.isEmpty {
                #expect(TaxonomyCode.skillGroup.isWellFormed(code), "line \(row.line)")
            } else {
                #expect(TaxonomyCode.skill.isWellFormed(code), "line \(row.line)")
                #expect(groups.contains(parent) && code.hasPrefix(parent + "-"), "line \(row.line)")
            }
        }
    }

    @Test func occupationsAreWellFormedAndShareMinorGroups() throws {
        let table = try Self.table("Config/taxonomy/occupations.csv")
        #expect(table.header == ["code", "name"])
        #expect(table.rows.count >= 75)
        let codes = table.rows.map { $0["code"]! }
        #expect(Set(codes).count == codes.count)
        for row in table.rows {
            #expect(TaxonomyCode.occupation.formatProblem(row["code"]!) == nil, "line \(row.line)")
            #expect(!row["name"]!.isEmpty, "line \(row.line)")
        }
        let minorGroups = Dictionary(grouping: codes) { $0.prefix(7) }
        #expect(minorGroups.values.filter { $0.count >= 3 }.count >= 5)
    }

    @Test func specialtiesAreWellFormedAndPointAtKnownOccupations() throws {
        let taxonomy = try Self.taxonomy()
        let table = try Self.table("Config/taxonomy/specialties.csv")
        #expect(table.header == ["code", "name", "level", "related_occupation_codes"])
        #expect(table.rows.count >= 55)
        #expect(taxonomy.specialties.count == table.rows.count)
        var levels = Set<String>()
        for row in table.rows {
            let code = row["code"]!, level = row["level"]!
            levels.insert(level)
            #expect(TaxonomyCode.specialty.isWellFormed(code), "line \(row.line)")
            #expect(["secondary", "associate", "bachelor"].contains(level), "line \(row.line)")
            // 高职专科 大类 41–59, 中职 61–79, 职业本科 21–39.
            let category = Int(code.prefix(2)) ?? 0
            let range = level == "associate" ? 41...59 : level == "secondary" ? 61...79 : 21...39
            #expect(range.contains(category), "line \(row.line): \(code) is not a \(level) code")
            let related = row["related_occupation_codes"]!.split(separator: ";").map(String.init)
            #expect(!related.isEmpty, "line \(row.line)")
            #expect(related.allSatisfy(taxonomy.occupations.contains), "line \(row.line)")
        }
        #expect(levels == ["secondary", "associate", "bachelor"])
        #expect(taxonomy.specialties["510201"]?["name"] == "计算机应用技术")
        #expect(taxonomy.specialties["510203"]?["name"] == "软件技术")
    }

    // MARK: organizations

    @Test func enterprisesHaveValidCodesInTheDemoCounties() throws {
        let table = try Self.table("Config/demo/enterprises.csv")
        #expect(table.header == [
            "name", "uscc", "region_code", "industry_code", "size", "address", "contact_name", "contact_phone",
            "contact_email", "username",
        ])
        #expect(table.rows.count >= 32)
        for row in table.rows {
            let uscc = row["uscc"]!, region = row["region_code"]!
            do {
                #expect(try USCC.normalize(uscc) == uscc, "line \(row.line): not canonical")
            } catch {
                Issue.record("line \(row.line): \(uscc): \(error.message)")
            }
            #expect(uscc.dropFirst(2).prefix(6) == region, "line \(row.line): area code is not the county's")
            #expect(Self.demoCounties.contains(region), "line \(row.line)")
            #expect(Self.isIndustryCode(row["industry_code"]!), "line \(row.line)")
            #expect(EnterpriseSize(rawValue: row["size"]!) != nil, "line \(row.line)")
            #expect(Self.isMobile(row["contact_phone"]!), "line \(row.line)")
            #expect(row["contact_email"]!.contains("@") && !row["contact_name"]!.isEmpty, "line \(row.line)")
            #expect(row["address"]!.contains("三门峡市"), "line \(row.line)")
            #expect(Self.isUsername(row["username"]!, prefix: "ent-"), "line \(row.line)")
        }
        #expect(Set(table.rows.map { $0["uscc"]! }).count == table.rows.count)
        #expect(Set(table.rows.map { $0["name"]! }).count == table.rows.count)
        #expect(Set(table.rows.map { $0["region_code"]! }) == Self.demoCounties)
        #expect(table.rows.contains { $0["industry_code"]!.hasPrefix("P") }, "an education/training enterprise")
        let names = Set(table.rows.map { $0["name"]! })
        for name in ["中原冶炼厂", "灵宝黄金股份", "华鑫铜箔", "骏通车辆", "开曼铝业", "三味奇", "开祥化工"] {
            #expect(names.contains(name), "\(name) missing")
        }
    }

    @Test func collegesIncludeTheCitysVocationalColleges() throws {
        let taxonomy = try Self.taxonomy()
        let table = try Self.table("Config/demo/colleges.csv")
        #expect(table.header == [
            "name", "school_code", "kind", "region_code", "address", "contact_name", "contact_phone", "contact_email",
            "username",
        ])
        #expect(table.rows.count >= 6)
        for row in table.rows {
            #expect(CollegeKind(rawValue: row["kind"]!) != nil, "line \(row.line)")
            #expect(taxonomy.regions.contains(row["region_code"]!), "line \(row.line)")
            #expect(Self.isMobile(row["contact_phone"]!), "line \(row.line)")
            #expect(Self.isUsername(row["username"]!, prefix: "col-"), "line \(row.line)")
        }
        let byName = Dictionary(uniqueKeysWithValues: table.rows.map { ($0["name"]!, $0) })
        #expect(byName.count == table.rows.count)
        #expect(byName["三门峡职业技术学院"]?["kind"] == "higher_vocational")
        #expect(byName["三门峡职业技术学院"]?["region_code"] == "411202")
        #expect(byName["三门峡社会管理职业学院"]?["kind"] == "higher_vocational")
    }

    @Test func usernamesAreUniqueAcrossOrganizations() throws {
        let usernames = try Self.table("Config/demo/enterprises.csv").rows.map { $0["username"]! }
            + Self.table("Config/demo/colleges.csv").rows.map { $0["username"]! }
        #expect(Set(usernames).count == usernames.count)
    }

    // MARK: programs, demands, talents

    @Test func programsReferenceKnownCollegesSpecialtiesAndSkills() throws {
        let taxonomy = try Self.taxonomy()
        let colleges = Dictionary(
            uniqueKeysWithValues: try Self.table("Config/demo/colleges.csv").rows.map { ($0["name"]!, $0["region_code"]!) })
        let table = try Self.table("Config/demo/programs.csv")
        #expect(table.header == [
            "college_name", "title", "specialty_code", "level", "skills", "capacity", "modes", "region_code",
            "starts_on", "ends_on", "status",
        ])
        #expect(table.rows.count >= 70)
        for row in table.rows {
            let line = "line \(row.line)"
            #expect(colleges[row["college_name"]!] == row["region_code"]!, "\(line): region is not the college's")
            #expect(taxonomy.specialties[row["specialty_code"]!] != nil, "\(line)")
            #expect(EducationLevel(rawValue: row["level"]!) != nil, "\(line)")
            #expect(!row["title"]!.isEmpty, "\(line)")
            let skills = try SkillList.parseLevels(row["skills"]!)
            #expect((2...6).contains(skills.count), "\(line)")
            #expect(skills.allSatisfy { taxonomy.skills.contains($0.code) }, "\(line)")
            #expect((10...120).contains(Int(row["capacity"]!) ?? 0), "\(line)")
            let modes = row["modes"]!.split(separator: ";").map(String.init)
            #expect(!modes.isEmpty && Set(modes).count == modes.count, "\(line)")
            #expect(modes.allSatisfy { CooperationMode(rawValue: $0) != nil }, "\(line)")
            #expect(Self.isOrderedPeriod(row["starts_on"]!, row["ends_on"]!), "\(line)")
            #expect(ProgramStatus(rawValue: row["status"]!) != nil, "\(line)")
        }
        let statuses = table.rows.map { $0["status"]! }
        #expect(statuses.filter { $0 == "published" }.count > statuses.count * 3 / 4)
        #expect(statuses.contains("draft"))
    }

    @Test func demandsReferenceKnownEnterprisesOccupationsAndSkills() throws {
        let taxonomy = try Self.taxonomy()
        let enterprises = Set(try Self.table("Config/demo/enterprises.csv").rows.map { $0["uscc"]! })
        let table = try Self.table("Config/demo/demands.csv")
        #expect(table.header == [
            "enterprise_uscc", "title", "occupation_code", "skills", "headcount", "min_level", "mode", "region_code",
            "starts_on", "ends_on", "status",
        ])
        #expect(table.rows.count >= 160)
        var withoutSkills = 0
        for row in table.rows {
            let line = "line \(row.line)"
            #expect(enterprises.contains(row["enterprise_uscc"]!), "\(line)")
            #expect(taxonomy.occupations.contains(row["occupation_code"]!), "\(line)")
            #expect(!row["title"]!.isEmpty, "\(line)")
            let skills = try SkillList.parseWeighted(row["skills"]!)
            #expect(skills.count <= 6, "\(line)")
            #expect(skills.allSatisfy { taxonomy.skills.contains($0.code) }, "\(line)")
            if skills.isEmpty { withoutSkills += 1 }
            #expect((1...60).contains(Int(row["headcount"]!) ?? 0), "\(line)")
            #expect(EducationLevel(rawValue: row["min_level"]!) != nil, "\(line)")
            #expect(CooperationMode(rawValue: row["mode"]!) != nil, "\(line)")
            #expect(taxonomy.regions.contains(row["region_code"]!), "\(line)")
            #expect(Self.isOrderedPeriod(row["starts_on"]!, row["ends_on"]!), "\(line)")
            #expect(DemandStatus(rawValue: row["status"]!) != nil, "\(line)")
        }
        #expect((1...20).contains(withoutSkills), "a few demands ask for no skills")
        #expect(table.rows.filter { $0["status"] == "open" }.count > table.rows.count * 3 / 4)
    }

    @Test func talentsReferenceKnownCodesAndRecordConsent() throws {
        let taxonomy = try Self.taxonomy()
        let table = try Self.table("Config/demo/talents.csv")
        #expect(table.header == [
            "source", "external_id", "name", "phone", "skills", "specialty_code", "education_level",
            "desired_occupation_codes", "region_codes", "available_from", "share_with_enterprises",
            "consent_given_at",
        ])
        #expect(table.rows.count >= 520)
        let timestamp = ISO8601DateFormatter()
        for (index, row) in table.rows.enumerated() {
            let line = "line \(row.line)"
            #expect(row["source"] == "talent-web", "\(line)")
            #expect(row["external_id"] == "TW" + String(format: "%06d", index + 1), "\(line)")
            #expect(!row["name"]!.isEmpty && Self.isMobile(row["phone"]!), "\(line)")
            let skills = try SkillList.parseLevels(row["skills"]!)
            #expect(skills.allSatisfy { taxonomy.skills.contains($0.code) }, "\(line)")
            #expect(taxonomy.specialties[row["specialty_code"]!] != nil, "\(line)")
            #expect(EducationLevel(rawValue: row["education_level"]!) != nil, "\(line)")
            let desired = Self.list(row["desired_occupation_codes"]!)
            #expect(desired.count <= 3 && desired.allSatisfy(taxonomy.occupations.contains), "\(line)")
            let regions = Self.list(row["region_codes"]!)
            #expect(regions.count <= 3 && regions.allSatisfy(taxonomy.regions.contains), "\(line)")
            #expect(Self.date(row["available_from"]!) != nil, "\(line)")
            #expect(["true", "false"].contains(row["share_with_enterprises"]!), "\(line)")
            let consent = row["consent_given_at"]!
            #expect(consent.hasSuffix("Z") && timestamp.date(from: consent) != nil, "\(line)")
        }
        let sharing = table.rows.filter { $0["share_with_enterprises"] == "true" }.count
        #expect((70...90).contains(sharing * 100 / table.rows.count))
        #expect(Set(table.rows.map { $0["phone"]! }).count == table.rows.count)
        let outside = table.rows.filter { Self.list($0["region_codes"]!).contains { !$0.hasPrefix("4112") } }
        #expect(!outside.isEmpty, "some talents want to work outside the city")
    }

    @Test func demandsExerciseTheSameMinorGroupRule() throws {
        // A demand whose occupation is not related to a taught specialty but shares its first
        // three segments with a related one earns the matching's partial occupation credit.
        let taxonomy = try Self.taxonomy()
        let related = taxonomy.specialties.values.map { Set(Self.list($0["related_occupation_codes"]!)) }
        let demanded = Set(try Self.table("Config/demo/demands.csv").rows.map { $0["occupation_code"]! })
        let partial = demanded.filter { code in
            related.contains { set in !set.contains(code) && set.contains { $0.prefix(7) == code.prefix(7) } }
        }
        #expect(partial.count >= 5)
    }

    // MARK: helpers

    static func list(_ cell: String) -> [String] {
        cell.split(separator: ";").map(String.init)
    }

    /// GB/T 4754 industry code as the demo uses it: a section letter A–T and four digits.
    static func isIndustryCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        return bytes.count == 5 && (UInt8(ascii: "A")...UInt8(ascii: "T")).contains(bytes[0])
            && bytes.dropFirst().allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    static func isMobile(_ phone: String) -> Bool {
        phone.utf8.count == 11 && phone.allSatisfy(\.isASCII) && phone.allSatisfy(\.isNumber)
            && ["13", "15", "18"].contains(String(phone.prefix(2)))
    }

    static func isUsername(_ name: String, prefix: String) -> Bool {
        name.hasPrefix(prefix) && name.count > prefix.count
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || $0 == "-" }
    }

    /// A real calendar date written `YYYY-MM-DD` (round-trips, so 2026-02-30 fails).
    static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
        return date
    }

    static func isOrderedPeriod(_ start: String, _ end: String) -> Bool {
        guard let from = date(start), let to = date(end) else { return false }
        return from < to && start >= "2026-01-01" && end <= "2028-12-31"
    }
}
