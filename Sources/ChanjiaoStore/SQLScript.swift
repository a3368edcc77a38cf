/// Splits a SQL file into statements at top-level semicolons. PostgresNIO speaks only the
/// extended protocol, which takes one statement at a time; quotes, comments and dollar-quoted
/// bodies (`$$ … $$`, `$fn$ … $fn$`) are respected so a function body is never cut.
enum SQLScript {
    static func statements(_ sql: String) -> [String] {
        let chars = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
        }
        func copy(until end: Int) {
            while index < min(end, chars.count) {
                current.append(chars[index])
                index += 1
            }
        }
        func find(_ needle: [Unicode.Scalar], from start: Int) -> Int {
            var position = start
            while position + needle.count <= chars.count {
                if Array(chars[position..<position + needle.count]) == needle { return position + needle.count }
                position += 1
            }
            return chars.count
        }

        while index < chars.count {
            let char = chars[index]
            let next = index + 1 < chars.count ? chars[index + 1] : " "
            switch char {
            case "-" where next == "-":
                index = find(["\n"], from: index)  // comments are dropped
            case "/" where next == "*":
                index = find(["*", "/"], from: index + 2)
            case "'", "\"":
                copy(until: index + 1)
                while index < chars.count {
                    if chars[index] == char {
                        if index + 1 < chars.count && chars[index + 1] == char {
                            copy(until: index + 2)
                            continue
                        }
                        copy(until: index + 1)
                        break
                    }
                    copy(until: index + 1)
                }
            case "$":
                var end = index + 1
                while end < chars.count, chars[end] == "_" || chars[end].properties.isAlphabetic || ("0"..."9").contains(chars[end]) {
                    end += 1
                }
                if end < chars.count, chars[end] == "$", !(index > 0 && ("0"..."9").contains(chars[index - 1])) {
                    let tag = Array(chars[index...end])
                    copy(until: find(tag, from: end + 1))
                } else {
                    copy(until: index + 1)
                }
            case ";":
                index += 1
                flush()
            default:
                copy(until: index + 1)
            }
        }
        flush()
        return statements
    }
}
