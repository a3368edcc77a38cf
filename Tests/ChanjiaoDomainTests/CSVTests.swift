import ChanjiaoDomain
import Testing

@Suite struct CSVTests {
    @Test func byteOrderMarkIsStripped() throws {
        let table = try CSV.table("\u{FEFF}code,name\nMET,冶金\n")
        #expect(table.header == ["code", "name"])
        #expect(table.rows == [CSVRow(line: 2, values: ["code": "MET", "name": "冶金"])])
    }

    @Test func crlfAndLfAndLoneCrEndRecords() throws {
        let records = try CSV.records("a,b\r\nc,d\ne,f\rg,h")
        #expect(records == [
            CSVRecord(line: 1, fields: ["a", "b"]), CSVRecord(line: 2, fields: ["c", "d"]),
            CSVRecord(line: 3, fields: ["e", "f"]), CSVRecord(line: 4, fields: ["g", "h"]),
        ])
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "name,address\r\n\"华鑫铜箔, 有限公司\",\"他说\"\"好\"\"\"\r\n\"多行\r\n地址\n第三行\",x\r\nlast,\"\"\r\n"
        let records = try CSV.records(text)
        #expect(records == [
            CSVRecord(line: 1, fields: ["name", "address"]),
            CSVRecord(line: 2, fields: ["华鑫铜箔, 有限公司", "他说\"好\""]),
            CSVRecord(line: 3, fields: ["多行\r\n地址\n第三行", "x"]),
            CSVRecord(line: 6, fields: ["last", ""]),
        ])
    }

    @Test func emptyFieldsAndBlankLines() throws {
        let records = try CSV.records("\n\na,,\n\n,b\n\n")
        #expect(records == [CSVRecord(line: 3, fields: ["a", "", ""]), CSVRecord(line: 5, fields: ["", "b"])])
        #expect(try CSV.records("") == [])
    }

    @Test func unterminatedQuoteNamesTheLineWhereItOpened() {
        #expect(throws: CSVError.unterminatedQuote(line: 2)) { try CSV.records("a,b\n\"open,\nmore\n") }
        #expect(CSVError.unterminatedQuote(line: 2).message == "unterminated quote at line 2")
    }

    @Test func strayQuotesAreErrors() {
        #expect(throws: CSVError.textAfterClosingQuote(line: 1)) { try CSV.records("\"a\"b,c") }
        #expect(throws: CSVError.quoteInUnquotedField(line: 2)) { try CSV.records("a\n5\" pipe,c") }
    }

    @Test func rowsWithTheWrongFieldCountNameTheirLine() {
        #expect(throws: CSVError.wrongFieldCount(line: 4, expected: 2, found: 3)) {
            try CSV.table("code,name\nA,\"x\ny\"\nB,z,extra\n")
        }
        #expect(CSVError.wrongFieldCount(line: 4, expected: 2, found: 3).message == "row at line 4 has 3 fields, expected 2")
    }

    @Test func headerMustBePresentNamedAndUnique() {
        #expect(throws: CSVError.missingHeader) { try CSV.table("\u{FEFF}\n") }
        #expect(throws: CSVError.emptyColumnName(column: 2)) { try CSV.table("a,,c\n") }
        #expect(throws: CSVError.duplicateColumn("a")) { try CSV.table("a,b,a\n") }
        #expect(throws: CSVError.duplicateColumn("code")) { try CSV.table("代码,code\n1,2\n").renamingColumns(["代码": "code"]) }
    }

    @Test func writerQuotesOnlyWhenNeeded() {
        #expect(CSV.escape("plain 文本") == "plain 文本")
        #expect(CSV.escape("a,b") == "\"a,b\"")
        #expect(CSV.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSV.line(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
    }

    @Test func writtenDocumentsReadBackUnchanged() throws {
        let header = ["名称", "地址"]
        let rows = [["中原冶炼厂", "灵宝市, \"函谷关\"镇\n1号"], ["", "x"]]
        let text = CSV.document(header: header, rows: rows, byteOrderMark: true)
        #expect(text.hasPrefix(CSV.byteOrderMark))
        let table = try CSV.table(text)
        #expect(table.header == header)
        #expect(table.rows.map { [$0["名称"]!, $0["地址"]!] } == rows)
        #expect(table.rows.map(\.line) == [2, 4])
    }
}
