import Foundation

/// The answer to a bulk import: how many rows went in (created or changed), how many were
/// already so (nothing written), how many did not go in, and why, by row.
public struct ImportReport: Codable, Sendable, Equatable {
    public struct RowError: Codable, Sendable, Equatable {
        public var row: Int
        public var field: String
        public var message: String

        public init(row: Int, field: String, message: String) {
            self.row = row
            self.field = field
            self.message = message
        }
    }

    public var accepted: Int
    public var unchanged: Int
    public var rejected: Int
    public var errors: [RowError]

    public init(accepted: Int, unchanged: Int = 0, rejected: Int, errors: [RowError]) {
        self.accepted = accepted
        self.unchanged = unchanged
        self.rejected = rejected
        self.errors = errors
    }
}

extension ImportReport {
    /// Always the same member order (`accepted`, `errors`, `rejected`, `unchanged`).
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}

/// `all_or_nothing` writes nothing when any row is wrong; `valid_rows` writes the good ones.
public enum ImportMode: String, Sendable, CaseIterable {
    case allOrNothing = "all_or_nothing"
    case validRows = "valid_rows"
}
