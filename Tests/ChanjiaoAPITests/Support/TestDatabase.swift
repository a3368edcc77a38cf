import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import Logging
import PostgresNIO

/// The throwaway PostgreSQL that `scripts/test` starts: a template database migrated and
/// seeded with the demo data once per test run, then one fresh copy per test.
enum TestDatabase {
    static let demoPassword = "demo-password-for-tests"
    static let adminPassword = "bureau-password-for-tests"

    static var serverURL: DatabaseURL {
        get throws {
            guard let text = ProcessInfo.processInfo.environment["CHANJIAO_TEST_DATABASE_URL"] else {
                throw TestSetupError("CHANJIAO_TEST_DATABASE_URL is not set: run the tests with scripts/test")
            }
            let url = try DatabaseURL(text)
            // Tests drop and create databases: never against anything but a local server.
            guard url.isLocal else { throw TestSetupError("refusing a non-local test database host \(url.host)") }
            return url
        }
    }

    private static let template = TemplateOnce()

    /// A new database copied from the migrated, seeded template.
    static func fresh() async throws -> DatabaseURL {
        let templateName = try await template.name()
        let name = "test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        // The template's last connections may still be closing: retry briefly.
        for attempt in 1...20 {
            do {
                try await admin { client, logger in
                    try await client.query("CREATE DATABASE \(unescaped: name) TEMPLATE \(unescaped: templateName)", logger: logger)
                }
                break
            } catch where attempt < 20 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        return try serverURL.with(database: name)
    }

    static func drop(_ url: DatabaseURL) async {
        _ = try? await admin { client, logger in
            try await client.query("DROP DATABASE IF EXISTS \(unescaped: url.database) WITH (FORCE)", logger: logger)
        }
    }

    /// Runs `body` against the server's maintenance database.
    static func admin(_ body: @Sendable (PostgresClient, Logger) async throws -> Void) async throws {
        try await withStore(try serverURL) { store in try await body(store.client, store.logger) }
    }

    /// Migrates an empty database and loads the reference and demo data, as `scripts/run` does.
    static func populate(_ url: DatabaseURL) async throws {
        Store.bcryptCost = 4
        let files = try ProjectFiles.locate()
        PasswordRules.useCommonPasswords(try files.commonPasswords())
        try await withStore(url) { store in
            try await Migrator(directory: files.migrations).run(on: store.client, logger: store.logger)
            try await store.loadReferenceData(from: files)
            _ = try await DemoSeeder(store: store, files: files).seed(password: demoPassword)
            try await store.ensureBureauAccount(username: "admin", password: adminPassword)
        }
    }

    static func withStore<T: Sendable>(_ url: DatabaseURL, _ body: @Sendable (Store) async throws -> T) async throws -> T {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        var configuration = url.configuration
        configuration.options.maximumConnections = 4
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(Store(client: client, logger: logger))
        }
    }
}

/// Builds the template exactly once per process, however many tests ask at the same time.
actor TemplateOnce {
    private var task: Task<String, any Error>?

    func name() async throws -> String {
        if let task { return try await task.value }
        let task = Task<String, any Error> {
            let name = "chanjiao_template_\(ProcessInfo.processInfo.processIdentifier)"
            try await TestDatabase.admin { client, logger in
                try await client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
                try await client.query("CREATE DATABASE \(unescaped: name)", logger: logger)
            }
            try await TestDatabase.populate(try TestDatabase.serverURL.with(database: name))
            return name
        }
        self.task = task
        return try await task.value
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
