import Foundation

/// The files an application carries: PDF, JPEG or PNG, told by their first bytes as well as
/// their declared media type.
public enum AttachmentType: String, CaseIterable, Sendable {
    case pdf = "application/pdf"
    case jpeg = "image/jpeg"
    case png = "image/png"

    /// This route's own body limit (the JSON routes take 1 MiB).
    public static let maxBytes = 20 << 20

    /// What every file of this type begins with.
    public var magic: [UInt8] {
        switch self {
        case .pdf: Array("%PDF-".utf8)
        case .jpeg: [0xFF, 0xD8, 0xFF]
        case .png: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        }
    }

    public func matches(_ content: some Collection<UInt8>) -> Bool {
        content.count >= magic.count && zip(content, magic).allSatisfy { $0 == $1 }
    }

    /// A `Content-Type` header's media type, without parameters.
    public init?(mediaType header: String) {
        let mediaType = header.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        self.init(rawValue: mediaType == "image/jpg" ? "image/jpeg" : mediaType)
    }

    /// Why `name` cannot name a stored file (empty, too long, a path, control characters), or nil.
    public static func filenameProblem(_ name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "must not be empty" }
        if TextRules.length(name) > 200 { return "must have at most 200 characters" }
        if name.contains("/") || name.contains("\\") { return "must be a file name, not a path" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return TextRules.controlMessage }
        if name == "." || name == ".." { return "must be a file name" }
        return nil
    }
}
