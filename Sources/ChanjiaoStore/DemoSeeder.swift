import ChanjiaoDomain
import Foundation

/// Loads `Config/demo/` through the same validation and writes the API uses, with one demo
/// account per county, enterprise and college, one partner (`talent-web`) and two bureau
/// accounts (`bureau-cert` records payments, `bureau-finance` confirms them); then plays the
/// city's certification year (`DemoStory`).
public struct DemoSeeder: Sendable {
    public static let counties = ["411202", "411203", "411221", "411224", "411281", "411282"]

    let store: Store
    let files: ProjectFiles

    public init(store: Store, files: ProjectFiles) {
        self.store = store
        self.files = files
    }

    /// Seeds once; returns false when the demo data is already there.
    public func seed(password: String) async throws -> Bool {
        let marker = "county-\(Self.counties[0])"
        let done = try await store.read { connection in
            try await connection.query("SELECT EXISTS (SELECT 1 FROM accounts WHERE username = \(marker))", logger: store.logger)
                .decode(Bool.self).all()
        }
        if done.first == true { return false }
        // The demo accounts follow the rules every password follows; checked before anything is written.
        PasswordRules.useCommonPasswords(try files.commonPasswords())
        let usernames = Self.counties.map { "county-\($0)" } + ["talent-web", DemoStory.recorder, DemoStory.confirmer]
            + (try table("enterprises") + table("colleges")).compactMap { $0["username"] }
        for username in usernames {
            if let problem = PasswordRules.problem(password, username: username) {
                throw Problem.invalid(field: "CHANJIAO_DEMO_PASSWORD", "\(problem) (demo account \(username))")
            }
        }
        let hash = try await Store.hashPassword(password)
        var accounts: [AccountInput] = Self.counties.map {
            AccountInput(username: "county-\($0)", password: password, role: .county, regionCode: $0)
        }
        accounts.append(AccountInput(username: "talent-web", password: password, role: .partner, source: "talent-web"))
        for username in [DemoStory.recorder, DemoStory.confirmer] {
            accounts.append(AccountInput(username: username, password: password, role: .bureau))
        }
        var contacts: [String: (name: String, phone: String)] = [:]

        var enterprises: [String: UUID] = [:]  // by USCC
        for row in try table("enterprises") {
            let json = object(row, strings: ["name", "uscc", "region_code", "industry_code", "size", "address"], contact: true)
            let id = try await store.createEnterprise(try EnterpriseInput.read(json), status: .active, actor: .system).written.id
            enterprises[row["uscc"] ?? ""] = id
            contacts[row["username"] ?? ""] = (row["contact_name"] ?? "", row["contact_phone"] ?? "")
            accounts.append(AccountInput(username: row["username"] ?? "", password: password, role: .enterprise, organizationID: id))
        }
        var colleges: [String: UUID] = [:]  // by name
        for row in try table("colleges") {
            let json = object(row, strings: ["name", "school_code", "kind", "region_code", "address"], contact: true)
            let id = try await store.createCollege(try CollegeInput.read(json), status: .active, actor: .system).written.id
            colleges[row["name"] ?? ""] = id
            accounts.append(AccountInput(username: row["username"] ?? "", password: password, role: .college, organizationID: id))
        }
        for account in accounts {
            _ = try await store.transaction { connection in
                try await store.insertAccount(account, passwordHash: hash, on: connection)
            }
        }
        // Demo records carry an external id, as records kept in another system do, so that an
        // export of them re-imports (an import matches programs and demands by it).
        for (index, row) in try table("programs").enumerated() {
            guard case .object(var fields) = object(row, strings: ["title", "specialty_code", "level", "region_code", "starts_on", "ends_on", "status"]) else { continue }
            fields["external_id"] = .string("demo-program-\(index + 1)")
            fields["college_id"] = .string(colleges[row["college_name"] ?? ""]?.uuidString ?? "")
            fields["capacity"] = .int(Int(row["capacity"] ?? "") ?? -1)
            fields["modes"] = .array((row["modes"] ?? "").split(separator: ";").map { .string(String($0)) })
            fields["skills"] = try skills(row["skills"] ?? "", weighted: false)
            _ = try await store.createProgram(try ProgramInput.read(.object(fields)), actor: .system)
        }
        for (index, row) in try table("demands").enumerated() {
            guard case .object(var fields) = object(row, strings: ["title", "occupation_code", "min_level", "mode", "region_code", "starts_on", "ends_on", "status"]) else { continue }
            fields["external_id"] = .string("demo-demand-\(index + 1)")
            fields["enterprise_id"] = .string(enterprises[row["enterprise_uscc"] ?? ""]?.uuidString ?? "")
            fields["headcount"] = .int(Int(row["headcount"] ?? "") ?? -1)
            fields["skills"] = try skills(row["skills"] ?? "", weighted: true)
            _ = try await store.createDemand(try DemandInput.read(.object(fields)), actor: .system)
        }
        for row in try table("talents") {
            guard case .object(var fields) = object(row, strings: ["source", "external_id", "name", "phone", "specialty_code", "education_level", "available_from"]) else { continue }
            fields["skills"] = try skills(row["skills"] ?? "", weighted: false)
            for list in ["desired_occupation_codes", "region_codes"] {
                fields[list] = .array((row[list] ?? "").split(separator: ";").map { .string(String($0)) })
            }
            fields["consent"] = .object([
                "share_with_enterprises": .bool(row["share_with_enterprises"] == "true"),
                "given_at": .string(row["consent_given_at"] ?? ""),
            ])
            _ = try await store.createTalent(try TalentInput.read(.object(fields)), actor: .system)
        }
        try await DemoStory(store: store, callers: try await callers(), contacts: contacts).play()
        return true
    }

    /// Every demo account as the caller its session would be.
    private func callers() async throws -> [String: Caller] {
        let rows = try await store.read { connection in
            try await connection.query(
                "SELECT id, username, role, coalesce(enterprise_id, college_id), region_code, source FROM accounts", logger: store.logger
            ).decode((UUID, String, String, UUID?, String?, String?).self).all()
        }
        var callers: [String: Caller] = [:]
        for (id, username, role, organization, region, source) in rows {
            callers[username] = Caller(
                accountID: id, username: username, role: Role(rawValue: role), organizationID: organization,
                organizationStatus: organization == nil ? nil : .active, regionCode: region, source: source)
        }
        return callers
    }

    private func table(_ name: String) throws -> [CSVRow] {
        try CSV.table(String(contentsOf: files.configFile("demo/\(name).csv"), encoding: .utf8)).rows
    }

    /// A JSON object from a CSV row; empty cells are left out (absent optional fields).
    private func object(_ row: CSVRow, strings: [String], contact: Bool = false) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for name in strings {
            if let value = row[name], !value.isEmpty { fields[name] = .string(value) }
        }
        if contact, let name = row["contact_name"], !name.isEmpty {
            var person: [String: JSONValue] = ["name": .string(name)]
            if let phone = row["contact_phone"], !phone.isEmpty { person["phone"] = .string(phone) }
            if let email = row["contact_email"], !email.isEmpty { person["email"] = .string(email) }
            fields["contact"] = .object(person)
        }
        return .object(fields)
    }

    private func skills(_ text: String, weighted: Bool) throws -> JSONValue {
        if weighted {
            return .array(try SkillList.parseWeighted(text).map {
                .object(["code": .string($0.code), "level": .int($0.level), "weight": .int($0.weight)])
            })
        }
        return .array(try SkillList.parseLevels(text).map { .object(["code": .string($0.code), "level": .int($0.level)]) })
    }
}
