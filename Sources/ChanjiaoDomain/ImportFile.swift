import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `POST /v1/imports/{kind}` takes besides the taxonomies: registry records, each read
/// by the same input reader as its `POST` route.
public enum ImportKind: String, Sendable, CaseIterable {
    case talents, programs, demands, enterprises

    /// The export whose file re-imports: its Chinese headers are this import's aliases.
    public var export: ExportKind { ExportKind(rawValue: rawValue)! }

    /// The kind's input reader, whose fields the columns are.
    var input: any RegistryInput.Type {
        switch self {
        case .talents: TalentInput.self
        case .programs: ProgramInput.self
        case .demands: DemandInput.self
        case .enterprises: EnterpriseInput.self
        }
    }

    /// Top-level fields a row may set.
    public var writable: Set<String> { input.writable }

    /// Fields an export has that an import leaves alone (ids, versions, times, counts).
    public var readOnly: Set<String> { input.readOnly }

    /// Columns every file of the kind must have (the owner's id besides, when the bureau imports
    /// programs or demands).
    public var required: [String] {
        switch self {
        case .talents: ["external_id", "name", "education_level", "consent.share_with_enterprises", "consent.given_at"]
        case .programs: ["external_id", "title", "specialty_code", "level", "capacity", "modes", "region_code"]
        case .demands: ["external_id", "title", "occupation_code", "headcount", "min_level", "mode", "region_code"]
        case .enterprises: ["name", "uscc", "region_code", "size"]
        }
    }

    /// The column naming the owner, which the bureau must give.
    public var ownerColumn: String? {
        switch self {
        case .programs: "college_id"
        case .demands: "enterprise_id"
        case .talents, .enterprises: nil
        }
    }

    /// How a CSV cell of `field` becomes JSON.
    func cell(_ field: String) -> ImportCell {
        switch field {
        case "skills": .skills
        case "modes", "region_codes", "desired_occupation_codes": .list
        case "capacity", "headcount": .integer
        case "consent.share_with_enterprises", "uscc_override": .boolean
        default: .text
        }
    }
}

enum ImportCell {
    case text, integer, boolean, list, skills

    /// The cell's JSON; nil for an empty cell (the member is left out). A value that does not
    /// fit stays text, so the reader names the field and says what it must be.
    func json(_ raw: String) -> JSONValue? {
        let text = TextRules.trimmed(raw)
        guard !text.isEmpty else { return nil }
        switch self {
        case .text:
            return .string(Self.unguarded(text))
        case .integer:
            return Int(text).map(JSONValue.int) ?? .string(text)
        case .boolean:
            switch text.lowercased() {
            case "true", "是": return .bool(true)
            case "false", "否": return .bool(false)
            default: return .string(text)
            }
        case .list:
            return .array(Self.items(text).map(JSONValue.string))
        case .skills:
            return .array(Self.items(text).map { item in
                let parts = item.split(separator: ":", omittingEmptySubsequences: false).map { TextRules.trimmed($0) }
                guard (2...3).contains(parts.count), let level = Int(parts[1]) else { return .string(item) }
                var skill: [String: JSONValue] = ["code": .string(parts[0]), "level": .int(level)]
                if parts.count == 3 { skill["weight"] = Int(parts[2]).map(JSONValue.int) ?? .string(parts[2]) }
                return .object(skill)
            })
        }
    }

    /// `;`-separated items (a full-width `；` too, as Chinese keyboards type it).
    static func items(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == ";" || $0 == "；" }).map { TextRules.trimmed($0) }.filter { !$0.isEmpty }
    }

    /// An export's formula guard taken off again: `'=…` reads as `=…`.
    static func unguarded(_ text: String) -> String {
        let scalars = Substring(text).unicodeScalars
        guard scalars.first == "'", ExchangeCell.needsGuard(scalars.dropFirst()) else { return text }
        return String(String.UnicodeScalarView(scalars.dropFirst()))
    }
}

/// A file's rows as JSON objects, each with its line, ready for the kind's input reader; or
/// why the whole file cannot be read.
public struct ImportRows: Sendable {
    public var rows: [(line: Int, json: JSONValue)] = []
    /// Rows that cannot become an object: not JSON (NDJSON), or the wrong number of fields (CSV).
    public var errors: [ImportReport.RowError] = []

    /// A CSV file (header, then records) or NDJSON (one object per line).
    public static func parse(_ text: String, ndjson: Bool, kind: ImportKind, ownerRequired: Bool) throws(ImportFileError) -> ImportRows {
        ndjson ? try lines(text, kind: kind) : try table(text, kind: kind, ownerRequired: ownerRequired)
    }

    /// One object per line, as the kind's POST takes it; the read-only members an NDJSON export
    /// has (ids, versions, times) are left alone, as a CSV file's read-only columns are.
    static func lines(_ text: String, kind: ImportKind) throws(ImportFileError) -> ImportRows {
        var result = ImportRows()
        var number = 0
        // LF, CRLF or CR: "\r\n" is one Character, not equal to "\n". A JSON string holds no raw
        // CR or LF, so neither ends a line inside a value (U+2028 may, and is not a line end here).
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            number += 1
            let trimmed = TextRules.trimmed(line)
            if trimmed.isEmpty { continue }
            do {
                let parsed = try JSONValue.parse(Data(trimmed.utf8))
                guard case .object(let members) = parsed else {
                    result.errors.append(.init(row: number, field: "$", message: "each line must be one JSON object"))
                    continue
                }
                let json = JSONValue.object(members.filter { !kind.readOnly.contains($0.key) })
                let forbidden = json.forbiddenCharacterErrors()
                if let first = forbidden.first {
                    result.errors.append(.init(row: number, field: first.field, message: first.message))
                    continue
                }
                result.rows.append((number, json))
            } catch {
                result.errors.append(.init(row: number, field: "$", message: "not JSON: \(error.detail)"))
            }
        }
        if result.rows.isEmpty && result.errors.isEmpty { throw ImportFileError(row: 1, "the file is empty") }
        return result
    }

    static func table(_ text: String, kind: ImportKind, ownerRequired: Bool) throws(ImportFileError) -> ImportRows {
        let records: [CSVRecord]
        do {
            records = try CSV.records(text)
        } catch {
            throw ImportFileError(row: error.line, error.message)
        }
        guard let header = records.first else { throw ImportFileError(row: 1, "the file is empty") }
        // Each column's member (a nested one as its two names) and cell reader, worked out once.
        let columns = try Self.columns(header.fields, kind: kind, ownerRequired: ownerRequired).enumerated().compactMap {
            index, field -> (index: Int, top: String, inner: String?, cell: ImportCell)? in
            guard let field else { return nil }
            let path = field.split(separator: ".", maxSplits: 1).map(String.init)
            return (index, path[0], path.count == 2 ? path[1] : nil, kind.cell(field))
        }
        var result = ImportRows()
        result.rows.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            if record.fields.count != header.fields.count {
                result.errors.append(.init(
                    row: record.line, field: "$",
                    message: "has \(record.fields.count) fields where the header has \(header.fields.count)"))
                continue
            }
            var members: [String: JSONValue] = Dictionary(minimumCapacity: columns.count)
            for column in columns {
                guard let value = column.cell.json(record.fields[column.index]) else { continue }
                if let inner = column.inner {
                    var nested: [String: JSONValue] = [:]
                    if case .object(let existing)? = members[column.top] { nested = existing }
                    nested[inner] = value
                    members[column.top] = .object(nested)
                } else {
                    members[column.top] = value
                }
            }
            result.rows.append((record.line, .object(members)))
        }
        if result.rows.isEmpty && result.errors.isEmpty { throw ImportFileError(row: 2, "the file has a header but no rows") }
        return result
    }

    /// Each header cell's field (nil: a read-only column an export has, left alone). English
    /// field names or the export's Chinese headers; an unknown or missing column fails the file.
    static func columns(_ header: [String], kind: ImportKind, ownerRequired: Bool) throws(ImportFileError) -> [String?] {
        let aliases = Dictionary(kind.export.columns.map { ($0.header, $0.field) }, uniquingKeysWith: { a, _ in a })
        var fields: [String?] = []
        var unknown: [String] = []
        var seen: Set<String> = []
        for cell in header {
            let name = TextRules.trimmed(cell)
            let field = aliases[name] ?? name
            let top = String(field.split(separator: ".").first ?? "")
            if kind.readOnly.contains(top) {
                fields.append(nil)
            } else if kind.writable.contains(top) {
                guard seen.insert(field).inserted else { throw ImportFileError(row: 1, "the column \(name) appears twice") }
                fields.append(field)
            } else {
                unknown.append(name)
                fields.append(nil)
            }
        }
        if header.count == 1, let only = header.first, let separator = [";", "\t", "|"].first(where: { only.contains($0) }) {
            let shown = separator == "\t" ? "tabs" : "'\(separator)'"
            throw ImportFileError(row: 1, "the header is one column separated by \(shown); a CSV file separates its columns with commas")
        }
        if !unknown.isEmpty {
            throw ImportFileError(row: 1, "unknown column\(unknown.count > 1 ? "s" : ""): \(unknown.joined(separator: ", "))")
        }
        let required = kind.required + (ownerRequired ? kind.ownerColumn.map { [$0] } ?? [] : [])
        let headers = Dictionary(kind.export.columns.map { ($0.field, $0.header) }, uniquingKeysWith: { a, _ in a })
        let missing = required.filter { !seen.contains($0) }
        if !missing.isEmpty {
            let names = missing.map { field in headers[field].map { "\(field) (\($0))" } ?? field }
            throw ImportFileError(row: 1, "missing required column\(missing.count > 1 ? "s" : ""): \(names.joined(separator: ", "))")
        }
        return fields
    }
}

extension ImportReport {
    /// A file that could not be read at all: its one error, at field `$`.
    public init(_ error: ImportFileError) {
        self.init(accepted: 0, rejected: 0, errors: [.init(row: error.row, field: "$", message: error.message)])
    }
}

/// Why a file cannot be imported at all: one error, at the line where it shows.
public struct ImportFileError: Error, Sendable, Equatable {
    public var row: Int
    public var message: String

    public init(row: Int, _ message: String) {
        self.row = row
        self.message = message
    }
}

/// The bytes of an imported file as text: UTF-8 with or without a byte order mark, or GB18030
/// (what Excel and WPS on Chinese Windows save as "CSV"), by `charset` or detected: text that
/// is valid UTF-8 is read as UTF-8, any other as GB18030 through glibc's iconv (Foundation on
/// Linux has no GB18030 decoder).
public enum ImportText {
    public static func decode(_ bytes: [UInt8], charset: String?) throws(ImportFileError) -> String {
        if bytes.isEmpty { throw ImportFileError(row: 1, "the file is empty") }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ImportFileError(row: 1, "the file is UTF-16; save it as CSV in UTF-8 (or GB18030)")
        }
        if let index = bytes.firstIndex(of: 0) {
            throw ImportFileError(row: line(of: index, in: bytes), "the file holds a NUL byte; it is not a text file")
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        switch charset?.lowercased() {
        case nil:
            if let text = String(validating: body, as: UTF8.self) { return text }
            if let text = gb18030(Array(body)) { return text }
            throw ImportFileError(row: 1, "the file is neither UTF-8 nor GB18030 text")
        case "utf-8"?, "utf8"?:
            if let text = String(validating: body, as: UTF8.self) { return text }
            let bad = firstInvalidUTF8(body)
            throw ImportFileError(row: line(of: bad, in: bytes), "the file is not valid UTF-8, as its charset says")
        case "gb18030"?, "gbk"?, "gb2312"?:
            if let text = gb18030(Array(body)) { return text }
            throw ImportFileError(row: 1, "the file is not valid GB18030, as its charset says")
        case let other?:
            throw ImportFileError(row: 1, "charset \(other) is not accepted; send UTF-8 or GB18030")
        }
    }

    /// GB18030 to UTF-8; nil when the bytes are not GB18030.
    static func gb18030(_ bytes: [UInt8]) -> String? {
        convert(bytes, from: "GB18030", to: "UTF-8").flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// The bytes re-encoded by glibc's iconv; nil when they are not valid in `from`.
    public static func convert(_ bytes: [UInt8], from: String, to: String) -> [UInt8]? {
        let converter = iconv_open(to, from)
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes
        // Between these encodings a character grows at most from 2 bytes to 3 or from 3 to 4.
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var inputLeft = input.count
        var outputLeft = output.count
        let ok = input.withUnsafeMutableBytes { inputBytes in
            output.withUnsafeMutableBytes { outputBytes in
                var inPointer = inputBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outPointer = outputBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                return iconv(converter, &inPointer, &inputLeft, &outPointer, &outputLeft) != -1 && inputLeft == 0
            }
        }
        return ok ? Array(output[0..<(output.count - outputLeft)]) : nil
    }

    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var low = bytes.startIndex
        var high = bytes.endIndex
        // The longest valid prefix, by halving (a few validations of the file, not one per byte).
        while high - low > 4 {
            let mid = (low + high) / 2
            if String(validating: bytes[bytes.startIndex..<mid], as: UTF8.self) != nil { low = mid } else { high = mid }
        }
        return low
    }

    static func line(of index: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<min(index, bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}
