/// How client text is measured and screened, the same way for bodies, query and path
/// parameters (and later CSV cells).
public enum TextRules {
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
        text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" }
    }

    public static let controlMessage = "must not contain NUL or other control characters"
}
