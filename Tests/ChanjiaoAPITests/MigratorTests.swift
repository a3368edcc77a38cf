import ChanjiaoStore
import Foundation
import PostgresNIO
import Testing

@Suite struct MigratorTests {
    /// A scratch database and a scratch folder of migrations.
    func withScratch(_ body: @Sendable (Store, URL) async throws -> Void) async throws {
        let name = "migrate_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        try await TestDatabase.admin { client, logger in
            try await client.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try TestDatabase.serverURL.with(database: name)
        try await TestDatabase.withStore(url) { store in try await body(store, folder) }
        await TestDatabase.drop(url)
    }

    @Test func appliesOnceInOrderAndRefusesAnEditedMigration() async throws {
        try await withScratch { store, folder in
            try "CREATE TABLE a (id int); -- one; two\nINSERT INTO a VALUES (1);".write(to: folder.appendingPathComponent("0001_a.sql"), atomically: true, encoding: .utf8)
            try "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$; INSERT INTO a SELECT f() + 1;".write(to: folder.appendingPathComponent("0002_b.sql"), atomically: true, encoding: .utf8)
            #expect(try await Migrator(directory: folder).run(on: store.client, logger: store.logger) == [1, 2])
            #expect(try await Migrator(directory: folder).run(on: store.client, logger: store.logger) == [])
            let rows = try await store.client.query("SELECT count(*)::int FROM a").decode(Int.self)
            for try await count in rows { #expect(count == 2) }
            try "CREATE TABLE a (id bigint);".write(to: folder.appendingPathComponent("0001_a.sql"), atomically: true, encoding: .utf8)
            await #expect(throws: Migrator.Failure.self) {
                try await Migrator(directory: folder).run(on: store.client, logger: store.logger)
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        try await withScratch { store, folder in
            try "CREATE TABLE b (id int); SELECT no_such_function();".write(to: folder.appendingPathComponent("0001_b.sql"), atomically: true, encoding: .utf8)
            await #expect(throws: (any Error).self) {
                try await Migrator(directory: folder).run(on: store.client, logger: store.logger)
            }
            let rows = try await store.client.query("SELECT to_regclass('b') IS NULL").decode(Bool.self)
            for try await missing in rows { #expect(missing) }
        }
    }

    @Test func concurrentStartsSerializeOnTheLock() async throws {
        try await withScratch { store, folder in
            try "CREATE TABLE c (id int); SELECT pg_sleep(0.2);".write(to: folder.appendingPathComponent("0001_c.sql"), atomically: true, encoding: .utf8)
            async let first = Migrator(directory: folder).run(on: store.client, logger: store.logger)
            async let second = Migrator(directory: folder).run(on: store.client, logger: store.logger)
            let applied = try await [first, second]
            #expect(applied.sorted { $0.count < $1.count } == [[], [1]])
        }
    }
}
