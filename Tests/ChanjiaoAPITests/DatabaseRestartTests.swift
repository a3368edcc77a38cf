import ChanjiaoAPI
import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The service survives its database: writes in flight while PostgreSQL restarts (fast, then
/// immediate) either succeed and are durable, or get a 503 problem within 5 s; readiness follows
/// the database; the process never exits.
@Suite(.serialized) struct DatabaseRestartTests {
    /// What the writers saw.
    final class Outcomes: Sendable {
        struct State {
            var acknowledged: [String] = []
            var unavailable = 0
            var wrong: [String] = []
            var stopped = false
        }
        let state = Mutex(State())
        func record(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }
        var snapshot: State { state.withLock { $0 } }
    }

    static func reply(_ response: TestClient.Response) -> (HTTPResponse.Status, JSONValue) {
        (response.head.status, (try? JSONValue.parse(Data((response.body.map { String(buffer: $0) } ?? "").utf8))) ?? .null)
    }

    /// One writer: creates demands until `stop`, one at a time on its own connection.
    static func writer(_ number: Int, port: Int, token: String, outcomes: Outcomes) async throws {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            var index = 0
            while !outcomes.snapshot.stopped {
                index += 1
                let title = "重启测试-\(number)-\(index)"
                let body = BadInputTests.demand.replacingOccurrences(of: "铝箔轧制工", with: title)
                let start = ContinuousClock.now
                let response = try await client.post(
                    "/v1/demands", headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: body))
                let elapsed = ContinuousClock.now - start
                let (status, document) = reply(response)
                outcomes.record { state in
                    if status == .created {
                        state.acknowledged.append(title)
                    } else if status == .serviceUnavailable, case .object(let fields) = document,
                        fields["type"] == .string("/problems/unavailable"), response.head.headerFields[.retryAfter] != nil,
                        elapsed < .seconds(5)
                    {
                        state.unavailable += 1
                    } else {
                        state.wrong.append("\(status) after \(elapsed): \(document)")
                    }
                }
                if status != .created { try await Task.sleep(for: .milliseconds(100)) }
            }
        }
    }

    /// Polls `/health/ready` until it answers `ready` (200) or not; returns how long it took.
    static func waitForReadiness(_ ready: Bool, port: Int, within limit: Duration) async throws -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            let status = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                try await client.get("/health/ready").head.status
            }
            if (status == .ok) == ready { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test func writesSurviveFastAndImmediateRestarts() async throws {
        let cluster = try await OwnCluster.start()
        defer { cluster.destroy() }
        let url = try cluster.serverURL.with(database: "chanjiao")
        _ = try await TestDatabase.withStore(try cluster.serverURL) { store in
            try await store.client.query("CREATE DATABASE chanjiao", logger: store.logger)
        }
        try await TestDatabase.populate(url)
        let app = try await buildApplication(
            AppConfiguration(host: "127.0.0.1", port: 0, database: url, adminPassword: TestDatabase.adminPassword, logLevel: .critical))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            _ = try await TestDatabase.withStore(url) { store in
            let api = TestAPI(client: client, store: store)
            let token = try await api.login("ent-zyyl")
            let outcomes = Outcomes()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 1...4 {
                    group.addTask { try await Self.writer(number, port: port, token: token, outcomes: outcomes) }
                }
                try await Task.sleep(for: .seconds(1))
                try await cluster.pgCtl("restart -m fast")
                #expect(try await Self.waitForReadiness(true, port: port, within: .seconds(5)) != nil)
                try await Task.sleep(for: .seconds(1))

                try await cluster.pgCtl("stop -m immediate")
                let down = try await Self.waitForReadiness(false, port: port, within: .seconds(5))
                #expect(down != nil, "/health/ready still says ready with the database stopped")
                let start = ContinuousClock.now
                let read = try await TestClient.withClient(host: "127.0.0.1", port: port) { try await $0.get("/v1/demands?limit=1") }
                #expect(read.head.status == .serviceUnavailable)
                #expect(ContinuousClock.now - start < .seconds(5))
                try await Task.sleep(for: .seconds(2))
                try await cluster.start()
                let back = try await Self.waitForReadiness(true, port: port, within: .seconds(5))
                #expect(back != nil, "/health/ready not ready 5 s after the database came back")
                try await Task.sleep(for: .seconds(1))
                outcomes.record { $0.stopped = true }
                try await group.waitForAll()
            }
            let seen = outcomes.snapshot
            #expect(seen.wrong.isEmpty, "\(seen.wrong.prefix(5))")
            #expect(seen.acknowledged.count > 20)
            #expect(seen.unavailable > 0)
            // Every acknowledged write is in the database after both restarts.
            var stored: Set<String> = []
            for try await title in try await store.client.query(
                "SELECT title FROM demands WHERE title LIKE '重启测试-%'", logger: store.logger
            ).decode(String.self) {
                stored.insert(title)
            }
            #expect(Set(seen.acknowledged).subtracting(stored).isEmpty, "acknowledged but lost: \(Set(seen.acknowledged).subtracting(stored))")
            // The service is still up and serves from the database again.
            #expect(try await api.get("/v1/demands?limit=1").status == .ok)
            }
        }
    }
}
