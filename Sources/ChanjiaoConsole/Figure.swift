import Foundation

/// A labelled figure as a page shows it: a tile, a fact of a record, a line of its history.
public struct Figure: Sendable {
    public var label: String
    public var value: String

    public init(label: String, value: String) {
        self.label = label
        self.value = value
    }
}

/// Console links with query parameters: empty ones left out, names in order, values escaped.
enum ConsoleLink {
    static func to(_ path: String, _ parameters: [String: String]) -> String {
        let query = parameters.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        return path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}
