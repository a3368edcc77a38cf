import ArgumentParser
import ChanjiaoStore
import Foundation
import Logging
import PostgresNIO

/// Settings come from the environment (12-factor); a missing required one stops the command.
enum Environment {
    static func require(_ name: String, hint: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw ValidationError("\(name) is not set: \(hint)")
        }
        return value
    }

    static func database() throws -> DatabaseURL {
        try DatabaseURL(try require("DATABASE_URL", hint: "e.g. postgres://chanjiao@127.0.0.1:5432/chanjiao (scripts/run sets it)"))
    }

    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info") ?? .info
        return logger
    }

    /// Runs `body` with a connected store, then shuts the client down.
    static func withStore<T: Sendable>(_ body: @Sendable (Store) async throws -> T) async throws -> T {
        let logger = logger("chanjiao")
        let client = PostgresClient(configuration: try database().configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(Store(client: client, logger: logger))
        }
    }
}
