/// How client text is measured and screened, the same way for bodies, query and path
/// parameters (and later CSV cells).
public enum TextRules {
    /// The text without leading and trailing white space and line breaks (as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, without Foundation's bridging, which
    /// an import pays for every cell).
    public static func trimmed(_ text: some StringProtocol) -> String {
        // Most cells begin and end with a letter or digit: settle that on the bytes.
        func plain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
        let whole = String(text)
        if let first = whole.utf8.first, let last = whole.utf8.last, plain(first), plain(last) { return whole }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return "" }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return whole }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(text[start...end])
    }

    /// Length in Unicode scalars: what PostgreSQL's `char_length` counts in a UTF-8 database,
    /// so a limit checked here is the limit the schema enforces (`"e\u{301}"` is 2, not 1).
    public static func length(_ text: some StringProtocol) -> Int { text.unicodeScalars.count }

    /// NUL (which PostgreSQL cannot store in text) and the other C0 controls, except tab, CR
    /// and LF, which multi-line fields may carry.
    public static func hasForbiddenControl(_ text: some StringProtocol) -> Bool {
        text.utf8.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }

    /// Any control character but a line feed (C0, DEL, C1): what a single value's field refuses,
    /// stricter than the screen above.
    public static func hasControlBesidesLineFeed(_ text: some StringProtocol) -> Bool {
        // The control category (Cc) is exactly these ranges; comparing is cheaper than a lookup.
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
    }

    public static let controlMessage = "must not contain NUL or other control characters"
}
