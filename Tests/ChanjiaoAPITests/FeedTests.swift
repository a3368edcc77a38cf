import ChanjiaoDomain
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The change feed: every committed event once, in cursor order, while many writers commit out
/// of order; only what the caller may see; long polls woken by the notice.
@Suite struct FeedTests {
    /// Pages the feed from `after` until a page comes back empty: the events and the cursor to go on from.
    static func drain(_ api: TestAPI, _ token: String, after: String? = nil) async throws -> (events: [JSONValue], next: String) {
        var events: [JSONValue] = []
        var cursor = after
        while true {
            let page = try await api.get("/v1/changes?limit=200" + (cursor.map { "&after=\($0)" } ?? ""), token: token)
            guard page.status == .ok, let next = page.string["next_cursor"] else { throw TestSetupError("feed: \(page.status) \(page.text)") }
            events += page.items
            cursor = next
            if page.items.isEmpty { return (events, next) }
        }
    }

    /// The rest of the bureau's feed after `after`, where `seen` events were read before: pages on
    /// until they are every event of the table. An event becomes final only once every older
    /// transaction of the cluster has ended (other suites write in parallel), so a page may be
    /// empty while events are still on their way; a minute at most.
    static func drainAll(_ api: TestAPI, _ bureau: String, after: String? = nil, seen: Int = 0) async throws -> (events: [JSONValue], next: String) {
        let table = try await api.count("outbox_events")
        let deadline = ContinuousClock.now + .seconds(60)
        var (events, next) = try await drain(api, bureau, after: after)
        while seen + events.count < table, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            let more = try await drain(api, bureau, after: next)
            events += more.events
            next = more.next
        }
        return (events, next)
    }

    @Test func aConsumerSeesEveryEventOnceWhileSixteenWritersCommit() async throws {
        try await withAPI { api async throws in
            let bureau = try await api.admin()
            let enterprise = try await api.login("ent-zyyl")
            var demands: [String] = []
            for _ in 0..<16 { demands.append(try await CooperationTests.demand(api, enterprise)) }
            let done = Flag()
            let consumer = Task { () -> [JSONValue] in
                var seen: [JSONValue] = []
                var cursor: String? = nil
                while !done.isSet {
                    let (events, next) = try await Self.drain(api, bureau, after: cursor)
                    seen += events
                    cursor = next
                    // Polling all the while, without starving the other suites of the machine.
                    try await Task.sleep(for: .milliseconds(20))
                }
                return seen + (try await Self.drainAll(api, bureau, after: cursor, seen: seen.count)).events
            }
            // Each writer on a connection of its own, so their transactions truly overlap and
            // commit out of the order of their sequence numbers.
            let port = try #require(api.client.port)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, demand) in demands.enumerated() {
                    group.addTask {
                        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                            for round in 1...12 {
                                let request = TestClient.Request(
                                    "/v1/demands/\(demand)", method: .patch, authority: "localhost",
                                    headers: [.authorization: "Bearer \(enterprise)", .contentType: "application/json"],
                                    body: ByteBuffer(string: #"{"headcount":\#(5 + round),"title":"并发写入\#(n)-\#(round)"}"#))
                                let reply = try await client.execute(request)
                                guard reply.head.status == .ok else { throw TestSetupError("writer \(n): \(reply.head.status)") }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            done.set()
            let seen = try await consumer.value
            let cursors = seen.compactMap { if case .string(let c)? = $0["cursor"] { c } else { nil } }
            #expect(Set(cursors).count == cursors.count, "no event twice")
            let table = try await api.count("outbox_events")
            #expect(cursors.count == table, "the consumer saw \(cursors.count) of the table's \(table) events")
            // The writers' 192 updates are all there.
            let ids = Set(demands)
            let updates = seen.filter { event in
                guard event["type"] == .string("demand.updated"), case .string(let id)? = event["resource_id"] else { return false }
                return ids.contains(id)
            }
            #expect(updates.count == 16 * 12)
        }
    }

    @Test func eachCallerSeesWhatItMaySee() async throws {
        try await withAPI { api async throws in
            let bureau = try await api.admin()
            _ = try await api.post("/v1/accounts", token: bureau, #"{"username":"feed-viewer","password":"Reads-Everything-2026","role":"viewer"}"#)
            let viewer = try await api.login("feed-viewer", "Reads-Everything-2026")
            let key = try await api.post("/v1/api-keys", token: bureau, #"{"name":"feed","scopes":["feed:read"]}"#).string["key"] ?? ""
            let all = try await Self.drainAll(api, bureau).events
            #expect(all.contains { $0["type"] == .string("talent.created") })
            let viewed = try await Self.drain(api, viewer).events
            #expect(!viewed.contains { if case .string(let t)? = $0["type"] { t.hasPrefix("talent.") } else { false } })
            #expect(viewed.count < all.count && !viewed.isEmpty)
            let keyed = try await Self.drain(api, key).events
            #expect(!keyed.contains { if case .string(let t)? = $0["type"] { t.hasPrefix("talent.") || t.hasPrefix("application.") || t.hasPrefix("reward.") } else { false } })
            #expect(!keyed.isEmpty)
            // An organization's address and contact reach the bureau, not a key of someone else:
            // the key sees what the public GET shows.
            func organizations(_ events: [JSONValue]) -> [JSONValue] {
                events.filter { [.string("enterprise.created"), .string("college.created")].contains($0["type"]) }
            }
            #expect(organizations(all).contains { $0["data"]?["contact"] != nil })
            let keyedOrganizations = organizations(keyed)
            #expect(!keyedOrganizations.isEmpty)
            for event in keyedOrganizations {
                guard case .object(let data)? = event["data"], case .string(let id)? = data["id"], case .string(let type)? = event["type"] else {
                    throw TestSetupError("no data")
                }
                let path = type.hasPrefix("enterprise.") ? "/v1/enterprises/\(id)" : "/v1/colleges/\(id)"
                guard case .object(let shown) = try await api.get(path, token: key).body else { throw TestSetupError("no document") }
                #expect(Set(data.keys) == Set(shown.keys), "\(type): \(data.keys.sorted()) against \(shown.keys.sorted())")
            }
            // No event carries a talent's name or phone.
            #expect(try await api.count("outbox_events WHERE resource_type = 'talent' AND (data ? 'name' OR data ? 'phone')") == 0)
            // Only these types; sessions of other roles may not read the feed.
            let programs = try await api.get("/v1/changes?types=program.created,program.updated&limit=200", token: bureau)
            #expect(programs.items.allSatisfy { [.string("program.created"), .string("program.updated")].contains($0["type"]) })
            #expect(try await api.get("/v1/changes?types=program.made", token: bureau).errorFields == ["types"])
            #expect(try await api.get("/v1/changes?after=nonsense", token: bureau).errorFields == ["after"])
            #expect(try await api.get("/v1/changes?wait=31", token: bureau).errorFields == ["wait"])
            #expect(try await api.get("/v1/changes", token: try await api.login("talent-web")).status == .forbidden)
        }
    }

    @Test func aKeyIsToldWhenAPublicRecordIsWithdrawnAndNothingOfDrafts() async throws {
        try await withAPI { api async throws in
            let bureau = try await api.admin()
            let key = try await api.post("/v1/api-keys", token: bureau, #"{"name":"mirror","scopes":["feed:read"]}"#).string["key"] ?? ""
            _ = try await Self.drainAll(api, bureau)
            let start = try await Self.drain(api, key).next
            let college = try await api.login("col-smxzy")
            let published = try await CooperationTests.program(api, college)
            #expect(try await api.send(.post, "/v1/programs/\(published)/archive", token: college).status == .ok)
            let draft = try await api.post("/v1/programs", token: college, programBody.replacingOccurrences(of: #""status":"published""#, with: #""status":"draft""#))
            let draftID = draft.string["id"] ?? ""
            #expect(try await api.patch("/v1/programs/\(draftID)", token: college, #"{"capacity":30}"#).status == .ok)
            let bureauSees = try await Self.drainAll(api, bureau).events
            #expect(bureauSees.contains { $0["resource_id"] == .string(draftID) })
            let events = try await Self.drain(api, key, after: start).events
            let seen = events.compactMap { event -> String? in
                guard case .string(let type)? = event["type"], case .string(let id)? = event["resource_id"] else { return nil }
                return id == published ? type : id == draftID ? "draft \(type)" : nil
            }
            #expect(seen == ["program.created", "program.archived"], "\(seen)")
        }
    }

    @Test func aLongPollAnswersWhenTheFirstEventCommits() async throws {
        try await withAPI { api async throws in
            let bureau = try await api.admin()
            let enterprise = try await api.login("ent-zyyl")
            let demand = try await CooperationTests.demand(api, enterprise)
            let (_, next) = try await Self.drainAll(api, bureau)
            // Nothing new: an empty page keeps the cursor, at once when not asked to wait.
            let empty = try await api.get("/v1/changes?after=\(next)", token: bureau)
            #expect(empty.items.isEmpty && empty.string["next_cursor"] == next)
            let start = ContinuousClock.now
            // On a connection of its own: the test client's one connection would queue the write behind the poll.
            let port = try #require(api.client.port)
            async let polled = TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(40))) { client in
                try await client.get("/v1/changes?after=\(next)&wait=20", headers: [.authorization: "Bearer \(bureau)"])
            }
            try await Task.sleep(for: .milliseconds(700))
            _ = try await api.patch("/v1/demands/\(demand)", token: enterprise, #"{"headcount":9}"#)
            let response = try await polled
            let answer = Reply(
                status: response.head.status, headers: response.head.headerFields,
                body: (try? JSONValue.parse(Data(String(buffer: response.body ?? ByteBuffer()).utf8))) ?? .null,
                text: String(buffer: response.body ?? ByteBuffer()))
            let took = ContinuousClock.now - start
            #expect(answer.items.first?["type"] == .string("demand.updated"), "\(answer.text)")
            #expect(took < .seconds(10), "the poll answered after \(took), not when the event committed")
            // A poll with nothing to wait for returns at its deadline with the same cursor.
            let after = answer.string["next_cursor"] ?? ""
            let quiet = ContinuousClock.now
            let none = try await api.get("/v1/changes?after=\(after)&wait=1", token: bureau)
            #expect(none.items.isEmpty && none.string["next_cursor"] == after)
            #expect(ContinuousClock.now - quiet >= .milliseconds(900))
        }
    }
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set(_ on: Bool = true) { value.withLock { $0 = on } }
}
