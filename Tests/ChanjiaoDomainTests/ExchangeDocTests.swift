import ChanjiaoDomain
import Testing

/// docs/EXCHANGE.md prints each export kind's columns; this keeps the print equal to the code.
@Suite struct ExchangeDocTests {
    @Test func everyKindsColumnsAreDocumentedInOrder() throws {
        let text = try RepoFiles.text("docs/EXCHANGE.md")
        let sections = text.components(separatedBy: "\n## ").dropFirst()
        var documented: [String: [String]] = [:]
        for section in sections {
            let lines = section.split(separator: "\n")
            guard let name = lines.first else { continue }
            documented[String(name)] = lines.dropFirst().filter { $0.hasPrefix("| `") }.map(String.init)
        }
        for kind in ExportKind.allCases {
            let expected = kind.columns.map { "| `\($0.field)` | \($0.header) |" }
            #expect(documented[kind.rawValue] == expected, "docs/EXCHANGE.md, \(kind.rawValue)")
        }
        #expect(Set(documented.keys) == Set(ExportKind.allCases.map(\.rawValue)))
    }

    @Test func headersAreUniqueWithinAKind() {
        for kind in ExportKind.allCases {
            #expect(Set(kind.columns.map(\.header)).count == kind.columns.count, "\(kind.rawValue)")
            #expect(Set(kind.columns.map(\.field)).count == kind.columns.count, "\(kind.rawValue)")
        }
    }
}
