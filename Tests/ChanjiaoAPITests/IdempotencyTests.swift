import ChanjiaoAPI
import ChanjiaoDomain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `Idempotency-Key` commits with its write: duplicates wait and replay, failures keep nothing,
/// keys expire after a day, and a talent's erasure takes its kept response along.
@Suite struct IdempotencyTests {
    @Test func concurrentDuplicatesWaitForTheFirstAndGetTheSameResponse() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("ent-zyyl")
            let before = try await api.count("demands")
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await api.post("/v1/demands", token: token, demandBody, headers: [.idempotencyKey: "same-demand"]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .created }, "\(replies.map(\.status))")
            #expect(Set(replies.compactMap { $0.string["id"] }).count == 1)
            #expect(Set(replies.compactMap { $0.headers[.location] }).count == 1)
            #expect(replies.filter { $0.headers[HTTPField.Name("Idempotent-Replayed")!] == "true" }.count == 7)
            #expect(try await api.count("demands") == before + 1)
            let other = try await api.post("/v1/demands", token: token, demandBody.replacingOccurrences(of: "冶炼工", with: "电解工"), headers: [.idempotencyKey: "same-demand"])
            #expect(other.errorFields == ["Idempotency-Key"])
        }
    }

    @Test func aFailedRequestKeepsNoKeyAndKeysExpireAfterADay() async throws {
        let clock = FixedClock(Date(timeIntervalSince1970: 1_796_000_000))
        try await withAPI(configure: { $0.clock = clock; $0.sessionLifetime = 3 * 86400 }) { api async throws in
            let token = try await api.login("ent-zyyl")
            let bad = try await api.post("/v1/demands", token: token, demandBody.replacingOccurrences(of: "\"headcount\":5", with: "\"headcount\":0"), headers: [.idempotencyKey: "k"])
            #expect(bad.status == .unprocessableContent)
            #expect(try await api.count("idempotency_keys") == 0)
            let first = try await api.post("/v1/demands", token: token, demandBody, headers: [.idempotencyKey: "k"])
            #expect(first.status == .created)
            clock.advance(by: 23 * 3600)
            #expect(try await api.post("/v1/demands", token: token, demandBody, headers: [.idempotencyKey: "k"]).string["id"] == first.string["id"])
            clock.advance(by: 3600 + 1)
            let later = try await api.post("/v1/demands", token: token, demandBody, headers: [.idempotencyKey: "k"])
            #expect(later.status == .created)
            #expect(later.string["id"] != first.string["id"])
        }
    }

    @Test func aTalentsErasureTakesItsKeptResponseAlong() async throws {
        try await withAPI { api async throws in
            let partner = try await api.login("talent-web")
            let body = talentBody.replacingOccurrences(of: "{\"name\"", with: "{\"external_id\":\"E-1\",\"name\"")
            let created = try await api.post("/v1/talents", token: partner, body, headers: [.idempotencyKey: "talent-1"])
            #expect(created.status == .created, "\(created.text)")
            #expect(try await api.count("idempotency_keys WHERE strpos(convert_from(body, 'UTF8'), '13812345678') > 0") == 1)
            #expect(try await api.send(.delete, "/v1/talents/\(created.string["id"] ?? "")", token: partner).status == .noContent)
            #expect(try await api.count("idempotency_keys WHERE strpos(convert_from(body, 'UTF8'), '13812345678') > 0") == 0)
            #expect(try await api.count("outbox_events WHERE strpos(data::text, '13812345678') > 0") == 0)
            let deleted = try await api.count("outbox_events WHERE type = 'talent.deleted' AND resource_id = '\(created.string["id"] ?? "")'")
            #expect(deleted == 1)
        }
    }

    @Test func aPartnerErasesByItsOwnKeyAndNoOtherSource() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let key = try await ApiKeyTests.key(api, admin, #"{"name":"人才网","scopes":["talents:write"],"source":"talent-web"}"#).key
            let body = talentBody.replacingOccurrences(of: "{\"name\"", with: "{\"external_id\":\"E-9\",\"name\"")
            #expect(try await api.post("/v1/talents", token: key, body, headers: [.idempotencyKey: "erase-1"]).status == .created)
            let other = try await api.post("/v1/talents", token: admin, body.replacingOccurrences(of: "{\"external_id\"", with: "{\"source\":\"other-site\",\"external_id\""))
            #expect(other.status == .created, "\(other.text)")
            #expect(try await api.send(.delete, "/v1/talents/by-external-id/other-site/E-9", token: key).status == .forbidden)
            #expect(try await api.send(.delete, "/v1/talents/by-external-id/talent-web/E-404", token: key).status == .notFound)
            #expect(try await api.send(.delete, "/v1/talents/by-external-id/talent-web/E-9", token: key, headers: [.ifMatch: "\"7\""]).status == .preconditionFailed)
            #expect(try await api.send(.delete, "/v1/talents/by-external-id/talent-web/E-9", token: key).status == .noContent)
            #expect(try await api.count("talents WHERE external_id = 'E-9'") == 1, "the other source's profile stays")
            #expect(try await api.count("idempotency_keys WHERE strpos(convert_from(body, 'UTF8'), '13812345678') > 0") == 0)
            #expect(try await api.send(.delete, "/v1/talents/by-external-id/talent-web/E-9", token: key).status == .notFound)
            #expect(try await api.count(
                "outbox_events WHERE type = 'talent.deleted' AND data->>'source' = 'talent-web' AND data->>'external_id' = 'E-9' AND NOT data ? 'name' AND NOT data ? 'phone'") == 1)
        }
    }
}

/// Two service instances on one database: a revocation on one stops the credential on the
/// other within a second.
@Suite struct TwoInstanceTests {
    @Test func disablingOrSigningOutOnOneInstanceStopsTheSessionOnTheOther() async throws {
        try await withAPI { first async throws in
            guard let url = first.url else { throw TestSetupError("no database URL") }
            let app = try await buildApplication(
                AppConfiguration(host: "127.0.0.1", port: 0, database: url, adminPassword: TestDatabase.adminPassword, logLevel: .warning))
            try await app.test(.live) { client in
                let second = TestAPI(client: client, store: first.store, url: url)
                let admin = try await first.admin()
                for revoke in ["logout", "disable"] {
                    let token = try await first.login("ent-zyyl")
                    // Warm the other instance's cache.
                    #expect(try await second.get("/v1/me", token: token).status == .ok)
                    #expect(try await second.get("/v1/me", token: token).status == .ok)
                    let account = try await first.id("accounts", where: "username", is: "ent-zyyl")
                    if revoke == "logout" {
                        #expect(try await first.send(.post, "/v1/auth/logout", token: token).status == .noContent)
                    } else {
                        #expect(try await first.send(.post, "/v1/accounts/\(account)/disable", token: admin).status == .ok)
                    }
                    let start = ContinuousClock.now
                    var refusedAfter: Duration?
                    while ContinuousClock.now - start < .seconds(5) {
                        if try await second.get("/v1/me", token: token).status == .unauthorized {
                            refusedAfter = ContinuousClock.now - start
                            break
                        }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    #expect(refusedAfter != nil && refusedAfter! < .seconds(1), "\(revoke): refused after \(String(describing: refusedAfter))")
                    if revoke == "disable" {
                        _ = try await first.send(.post, "/v1/accounts/\(account)/enable", token: admin)
                    }
                }
            }
        }
    }
}
