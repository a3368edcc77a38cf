/// The taxonomies as CSV: skills (`code,name,parent`), occupations (`code,name`) and
/// specialties (`code,name,level,related_occupation_codes` with `;` between codes).
/// Checks each row's shape; whether referenced codes exist is the store's question.
public enum TaxonomyKind: String, Sendable, CaseIterable {
    case skills, occupations, specialties

    public var columns: [String] {
        switch self {
        case .skills: ["code", "name", "parent"]
        case .occupations: ["code", "name"]
        case .specialties: ["code", "name", "level", "related_occupation_codes"]
        }
    }

    /// Chinese headers a column may go by, as the official lists and Excel users write them.
    public static let aliases: [String: String] = [
        "代码": "code", "编码": "code", "名称": "name", "上级": "parent", "上级代码": "parent", "技能组": "parent",
        "层次": "level", "相关职业": "related_occupation_codes", "相关职业代码": "related_occupation_codes",
    ]
}

/// One valid taxonomy row.
public struct TaxonomyRow: Sendable, Equatable {
    public var line: Int
    public var code: String
    public var name: String
    /// Skills: the group code (nil for a group). Specialties: unused.
    public var parent: String?
    public var level: EducationLevel?
    public var related: [String]
}

public struct TaxonomyFile: Sendable {
    public var rows: [TaxonomyRow]
    public var errors: [ImportReport.RowError]
    /// Rows with at least one error.
    public var rejectedLines: Set<Int>

    /// Parses and checks a whole file. A broken file (no header, wrong columns, bad quoting)
    /// is one error on its line and no rows.
    public static func parse(_ kind: TaxonomyKind, text: String) -> TaxonomyFile {
        var table: CSVTable
        do {
            table = try CSV.table(text)
            table = try table.renamingColumns(TaxonomyKind.aliases)
        } catch {
            let line = error.line
            return TaxonomyFile(rows: [], errors: [.init(row: line, field: "$", message: error.message)], rejectedLines: [line])
        }
        let missing = kind.columns.filter { !table.header.contains($0) }
        let extra = table.header.filter { !kind.columns.contains($0) }
        if !missing.isEmpty || !extra.isEmpty {
            let message = "the header must be \(kind.columns.joined(separator: ",")) (or its Chinese names)"
                + (missing.isEmpty ? "" : "; missing: \(missing.joined(separator: ","))")
                + (extra.isEmpty ? "" : "; unknown: \(extra.joined(separator: ","))")
            return TaxonomyFile(rows: [], errors: [.init(row: 1, field: "$", message: message)], rejectedLines: [1])
        }
        if table.rows.isEmpty {
            // As the registry's imports say it (`ImportRows`).
            return TaxonomyFile(rows: [], errors: [.init(row: 2, field: "$", message: "the file has a header but no rows")], rejectedLines: [2])
        }
        var file = TaxonomyFile(rows: [], errors: [], rejectedLines: [])
        var seen: Set<String> = []
        for row in table.rows {
            var errors: [ImportReport.RowError] = []
            func fail(_ field: String, _ message: String) { errors.append(.init(row: row.line, field: field, message: message)) }
            let code = (row["code"] ?? "").trimmingCharacters(in: .whitespaces)
            let name = (row["name"] ?? "").trimmingCharacters(in: .whitespaces)
            if TextRules.hasForbiddenControl(name) {
                fail("name", TextRules.controlMessage)
            } else if name.isEmpty || TextRules.length(name) > 200 {
                fail("name", "must have 1 to 200 characters")
            }
            if !seen.insert(code).inserted { fail("code", "\(code) appears twice in the file") }
            var parent: String?
            var level: EducationLevel?
            var related: [String] = []
            switch kind {
            case .skills:
                let group = (row["parent"] ?? "").trimmingCharacters(in: .whitespaces)
                if group.isEmpty {
                    if let message = TaxonomyCode.skillGroup.formatProblem(code) { fail("code", message + " (a row without parent is a group)") }
                } else {
                    if let message = TaxonomyCode.skill.formatProblem(code) { fail("code", message) }
                    if let message = TaxonomyCode.skillGroup.formatProblem(group) { fail("parent", message) }
                    parent = group
                }
            case .occupations:
                if let message = TaxonomyCode.occupation.formatProblem(code) { fail("code", message) }
            case .specialties:
                if let message = TaxonomyCode.specialty.formatProblem(code) { fail("code", message) }
                level = EducationLevel(rawValue: (row["level"] ?? "").trimmingCharacters(in: .whitespaces))
                if level == nil { fail("level", "must be one of: " + EducationLevel.allCases.map(\.rawValue).joined(separator: ", ")) }
                related = (row["related_occupation_codes"] ?? "").split(separator: ";")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                for occupation in related {
                    if let message = TaxonomyCode.occupation.formatProblem(occupation) { fail("related_occupation_codes", message) }
                }
            }
            if errors.isEmpty {
                file.rows.append(TaxonomyRow(line: row.line, code: code, name: name, parent: parent, level: level, related: related))
            } else {
                file.errors += errors
                file.rejectedLines.insert(row.line)
            }
        }
        return file
    }
}

extension CSVError {
    /// The line the error is on (the header's for errors of the file as a whole).
    public var line: Int {
        switch self {
        case .unterminatedQuote(let line), .textAfterClosingQuote(let line), .quoteInUnquotedField(let line),
            .wrongFieldCount(let line, _, _):
            line
        case .missingHeader, .emptyColumnName, .duplicateColumn:
            1
        }
    }
}
