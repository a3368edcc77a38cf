/// An administrative division (GB/T 2260): province, prefecture or county.
public struct Region: Sendable, Codable, Equatable, Hashable {
    /// Six digits: province 2, prefecture 2, county 2 (`411202`).
    public var code: String
    public var name: String
    /// The nearest ancestor present in the catalog; nil for provinces.
    public var parentCode: String?

    public init(code: String, name: String, parentCode: String?) {
        self.code = code
        self.name = name
        self.parentCode = parentCode
    }
}

/// Reads the GB/T 2260 list shipped in `Config/regions/` (one `code name` a line).
public enum RegionCatalog {
    /// Parses the list in file order and links each region to its nearest listed ancestor:
    /// the prefecture `XXYY00` when listed, else the province `XX0000`. Municipalities and
    /// province-administered counties (`419001` 济源市) have no prefecture row, so they hang
    /// directly under the province. Blank lines are skipped.
    public static func parse(_ text: String) throws(RegionCatalogError) -> [Region] {
        var entries: [(code: String, name: String)] = []
        var seen: [String: Int] = [:]
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let content = line.trimmingCharacters(in: .whitespaces)
            if content.isEmpty { continue }
            guard let space = content.firstIndex(where: \.isWhitespace) else {
                throw .malformedLine(line: lineNumber)
            }
            let code = String(content[..<space])
            let name = content[space...].trimmingCharacters(in: .whitespaces)
            guard isWellFormed(code) else { throw .malformedCode(code, line: lineNumber) }
            guard !name.isEmpty else { throw .malformedLine(line: lineNumber) }
            if let first = seen[code] {
                throw .duplicateCode(code, line: lineNumber, firstLine: first)
            }
            seen[code] = lineNumber
            entries.append((code, name))
        }
        return entries.map { entry in
            Region(code: entry.code, name: entry.name, parentCode: parent(of: entry.code) { seen[$0] != nil })
        }
    }

    /// Whether `code` is six ASCII digits (format only; membership is the catalog's business).
    public static func isWellFormed(_ code: String) -> Bool {
        code.utf8.count == 6 && code.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    private static func parent(of code: String, isListed: (String) -> Bool) -> String? {
        let province = String(code.prefix(2)) + "0000"
        let prefecture = String(code.prefix(4)) + "00"
        if code == province { return nil }
        if code != prefecture, isListed(prefecture) { return prefecture }
        return isListed(province) ? province : nil
    }
}

/// Why a region list could not be read; `message` names the line.
public enum RegionCatalogError: Error, Sendable, Equatable {
    case malformedLine(line: Int)
    case malformedCode(String, line: Int)
    case duplicateCode(String, line: Int, firstLine: Int)

    public var message: String {
        switch self {
        case .malformedLine(let line):
            "line \(line): expected 'code name'"
        case .malformedCode(let code, let line):
            "line \(line): '\(code)' is not a 6-digit region code"
        case .duplicateCode(let code, let line, let firstLine):
            "line \(line): \(code) already appears on line \(firstLine)"
        }
    }
}
