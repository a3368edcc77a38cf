/// RFC 4180 CSV, as Excel and WPS write it for Chinese users: UTF-8 with or without a BOM,
/// CRLF or LF line ends, quoted fields that may hold commas, `""` and line breaks.
public enum CSV {
    /// The UTF-8 byte order mark; exports start with it so Excel reads the file as UTF-8.
    public static let byteOrderMark = "\u{FEFF}"

    /// Splits `text` into records, each with the 1-based line on which it starts.
    ///
    /// Blank lines are skipped (Excel leaves them at the end of files); a quoted field may span
    /// lines, so line numbers count physical lines, not records. Fields are not trimmed.
    public static func records(_ text: String) throws(CSVError) -> [CSVRecord] {
        var text = text
        // `withUTF8` only rethrows untyped errors, so the typed error travels in a Result.
        let result = text.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            return Result { () throws(CSVError) in try reader.readAll() }
        }
        return try result.get()
    }

    /// Reads a file whose first record is the header and maps every other record to
    /// `column → value`; a record with a different number of fields is an error, since a
    /// shifted column would silently put values under the wrong names.
    public static func table(_ text: String) throws(CSVError) -> CSVTable {
        let all = try records(text)
        guard let headerRecord = all.first else { throw .missingHeader }
        let header = headerRecord.fields
        var columns = Set<String>()
        for (index, name) in header.enumerated() {
            guard !name.isEmpty else { throw .emptyColumnName(column: index + 1) }
            guard columns.insert(name).inserted else { throw .duplicateColumn(name) }
        }
        var rows: [CSVRow] = []
        rows.reserveCapacity(all.count - 1)
        for record in all.dropFirst() {
            guard record.fields.count == header.count else {
                throw .wrongFieldCount(line: record.line, expected: header.count, found: record.fields.count)
            }
            rows.append(CSVRow(line: record.line, values: Dictionary(uniqueKeysWithValues: zip(header, record.fields))))
        }
        return CSVTable(header: header, rows: rows)
    }

    /// One field as it must be written: quoted (with `"` doubled) when it holds a comma, a
    /// quote or a line break, as is otherwise.
    public static func escape(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { $0 == comma || $0 == quote || $0 == cr || $0 == lf }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, CRLF-terminated (RFC 4180); for exports that stream row by row.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }

    /// A whole document; `byteOrderMark` for files meant to be opened in Excel.
    public static func document(header: [String], rows: [[String]], byteOrderMark: Bool = false) -> String {
        var out = byteOrderMark ? Self.byteOrderMark : ""
        out += line(header)
        for row in rows { out += line(row) }
        return out
    }

    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")

    /// A cursor over the UTF-8 bytes; every delimiter is ASCII, so splitting bytes never cuts a
    /// multi-byte character.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var line = 1
        var field: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        mutating func readAll() throws(CSVError) -> [CSVRecord] {
            var records: [CSVRecord] = []
            while index < bytes.count {
                if isLineBreak(bytes[index]) {
                    consumeLineBreak()
                    continue
                }
                let start = line
                var fields: [String] = []
                while true {
                    fields.append(try readField())
                    if index < bytes.count, bytes[index] == CSV.comma {
                        index += 1
                        continue
                    }
                    if index < bytes.count { consumeLineBreak() }
                    break
                }
                records.append(CSVRecord(line: start, fields: fields))
            }
            return records
        }

        /// Reads one field and stops at the comma, line break or end that follows it.
        private mutating func readField() throws(CSVError) -> String {
            field.removeAll(keepingCapacity: true)
            if index < bytes.count, bytes[index] == CSV.quote {
                try readQuoted()
            } else {
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == CSV.comma || isLineBreak(byte) { break }
                    // RFC 4180 allows quotes only in quoted fields; accepting a stray one would
                    // hide a broken row (a missing opening quote) until a column shifts.
                    if byte == CSV.quote { throw .quoteInUnquotedField(line: line) }
                    field.append(byte)
                    index += 1
                }
            }
            return String(decoding: field, as: UTF8.self)
        }

        private mutating func readQuoted() throws(CSVError) {
            let openedOn = line
            index += 1
            while true {
                guard index < bytes.count else { throw .unterminatedQuote(line: openedOn) }
                let byte = bytes[index]
                if byte == CSV.quote {
                    if index + 1 < bytes.count, bytes[index + 1] == CSV.quote {
                        field.append(CSV.quote)
                        index += 2
                        continue
                    }
                    index += 1
                    break
                }
                if byte == CSV.cr, index + 1 < bytes.count, bytes[index + 1] == CSV.lf {
                    field.append(contentsOf: [CSV.cr, CSV.lf])
                    index += 2
                    line += 1
                    continue
                }
                if isLineBreak(byte) { line += 1 }
                field.append(byte)
                index += 1
            }
            if index < bytes.count, bytes[index] != CSV.comma, !isLineBreak(bytes[index]) {
                throw .textAfterClosingQuote(line: line)
            }
        }

        /// CRLF, LF, or a lone CR (old Mac Excel) each end one line.
        private mutating func consumeLineBreak() {
            if bytes[index] == CSV.cr, index + 1 < bytes.count, bytes[index + 1] == CSV.lf {
                index += 2
            } else {
                index += 1
            }
            line += 1
        }

        private func isLineBreak(_ byte: UInt8) -> Bool { byte == CSV.cr || byte == CSV.lf }
    }
}

/// A record's fields and the 1-based line on which it starts.
public struct CSVRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A data row of a `CSVTable`: values by column name, and where the row starts.
public struct CSVRow: Sendable, Equatable {
    public var line: Int
    public var values: [String: String]

    public init(line: Int, values: [String: String]) {
        self.line = line
        self.values = values
    }

    public subscript(column: String) -> String? { values[column] }
}

/// A CSV file read with its header row.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [CSVRow]

    public init(header: [String], rows: [CSVRow]) {
        self.header = header
        self.rows = rows
    }

    /// The same table with columns known by another name (`aliases`: name → column) renamed.
    public func renamingColumns(_ aliases: [String: String]) throws(CSVError) -> CSVTable {
        func name(_ column: String) -> String { aliases[column.trimmingCharacters(in: .whitespaces)] ?? column }
        // A column and its alias side by side (代码,code) are one column given twice.
        var names = Set<String>()
        for column in header.map(name) where !names.insert(column).inserted { throw .duplicateColumn(column) }
        return CSVTable(
            header: header.map(name),
            rows: rows.map { row in
                CSVRow(line: row.line, values: Dictionary(row.values.map { (name($0.key), $0.value) }, uniquingKeysWith: { a, _ in a }))
            })
    }
}

/// Why a CSV file could not be read; `message` names the line.
public enum CSVError: Error, Sendable, Equatable {
    case unterminatedQuote(line: Int)
    case textAfterClosingQuote(line: Int)
    case quoteInUnquotedField(line: Int)
    case missingHeader
    case emptyColumnName(column: Int)
    case duplicateColumn(String)
    case wrongFieldCount(line: Int, expected: Int, found: Int)

    public var message: String {
        switch self {
        case .unterminatedQuote(let line):
            "unterminated quote at line \(line)"
        case .textAfterClosingQuote(let line):
            "text after a closing quote at line \(line) (a quote inside a quoted field is written \"\")"
        case .quoteInUnquotedField(let line):
            "quote inside an unquoted field at line \(line) (quote the whole field)"
        case .missingHeader:
            "the file is empty: a header row is required"
        case .emptyColumnName(let column):
            "header column \(column) has no name"
        case .duplicateColumn(let name):
            "header names column '\(name)' twice"
        case .wrongFieldCount(let line, let expected, let found):
            "row at line \(line) has \(found) fields, expected \(expected)"
        }
    }
}
