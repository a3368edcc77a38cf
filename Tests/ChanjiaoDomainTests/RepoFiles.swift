import Foundation

/// Files committed in the repository, found from this source file's location so the tests
/// read the very data that ships, whatever the working directory.
enum RepoFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ChanjiaoDomainTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }
}
