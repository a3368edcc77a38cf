import ChanjiaoDomain
import Foundation

/// Where the files that ship beside the binary live: `sql/` migrations and `Config/`.
/// `CHANJIAO_HOME` wins; otherwise the working directory or the checkout the binary was built in.
public struct ProjectFiles: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ProjectFiles {
        var candidates: [URL] = []
        if let home = environment["CHANJIAO_HOME"] { candidates.append(URL(fileURLWithPath: home)) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        var executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(executable)
            executable = executable.deletingLastPathComponent()
        }
        // The checkout this file was compiled from: Sources/ChanjiaoStore/ProjectFiles.swift → root.
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("sql").path)
            && FileManager.default.fileExists(atPath: candidate.appendingPathComponent("Config").path)
        {
            return ProjectFiles(root: candidate)
        }
        throw ProjectFilesError()
    }

    public var migrations: URL { root.appendingPathComponent("sql") }
    public var config: URL { root.appendingPathComponent("Config") }

    public func configFile(_ path: String) -> URL { config.appendingPathComponent(path) }

    /// The default reward policies (`Config/reward-policies.json`: one object per level).
    public func rewardPolicies() throws -> [RewardPolicy] {
        let json = try JSONValue.parse(try Data(contentsOf: configFile("reward-policies.json")))
        return try CertificationLevel.allCases.map { level in
            try RewardPolicyInput.read(json[level.rawValue] ?? .null, level: level)
        }
    }

    /// The shipped list of common passwords (`Config/common-passwords.txt`), one a line.
    public func commonPasswords() throws -> [String] {
        try String(contentsOf: configFile("common-passwords.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
    }
}

public struct ProjectFilesError: Error, CustomStringConvertible {
    public var description: String { "cannot find the sql/ and Config/ folders; set CHANJIAO_HOME to the folder that holds them" }
}
