import ChanjiaoDomain
import ChanjiaoStore
import Foundation
import HTTPTypes
import Testing

/// The bureau's account management, viewers, one's own password, and partner API keys.
@Suite struct AccountAdminTests {
    @Test func theBureauListsDisablesEnablesAndResetsAccounts() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let counties = try await api.get("/v1/accounts?role=county&limit=200", token: admin)
            #expect(counties.items.count == 6)
            #expect(try await api.get("/v1/accounts?role=pope", token: admin).errorFields == ["role"])
            #expect(try await api.get("/v1/accounts?q=ent-zy", token: admin).items.count == 1)
            let target = try await api.id("accounts", where: "username", is: "ent-zyyl")
            let session = try await api.login("ent-zyyl")
            let disabled = try await api.send(.post, "/v1/accounts/\(target)/disable", token: admin)
            #expect(disabled["disabled"] == .bool(true))
            #expect(try await api.get("/v1/me", token: session).status == .unauthorized)
            let again = try await api.post("/v1/auth/login", #"{"username":"ent-zyyl","password":"\#(TestDatabase.demoPassword)"}"#)
            #expect(again.status == .unauthorized)
            #expect(try await api.get("/v1/accounts?disabled=true", token: admin).items.count == 1)
            #expect(try await api.send(.post, "/v1/accounts/\(target)/enable", token: admin)["disabled"] == .bool(false))
            let fresh = try await api.login("ent-zyyl")
            // A reset revokes the sessions and the new password works.
            #expect(try await api.post("/v1/accounts/\(target)/password", token: admin, #"{"password":"ent-zyyl-2027"}"#).errorFields == ["password"])
            #expect(try await api.post("/v1/accounts/\(target)/password", token: admin, #"{"password":"qwertyuiop"}"#).errorFields == ["password"])
            #expect(try await api.post("/v1/accounts/\(target)/password", token: admin, #"{"password":"冶炼厂新的密码足够长"}"#).status == .noContent)
            #expect(try await api.get("/v1/me", token: fresh).status == .unauthorized)
            _ = try await api.login("ent-zyyl", "冶炼厂新的密码足够长")
            // Sign out everywhere.
            let other = try await api.login("ent-zyyl", "冶炼厂新的密码足够长")
            #expect(try await api.send(.delete, "/v1/accounts/\(target)/sessions", token: admin).status == .noContent)
            #expect(try await api.get("/v1/me", token: other).status == .unauthorized)
        }
    }

    @Test func nobodyDisablesThemselvesNorTheLastBureauAccount() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let adminID = try await api.id("accounts", where: "username", is: "admin")
            // The demo's other bureau accounts out of the way first: admin is then the last one.
            for username in ["bureau-cert", "bureau-finance"] {
                let id = try await api.id("accounts", where: "username", is: username)
                #expect(try await api.send(.post, "/v1/accounts/\(id)/disable", token: admin).status == .ok)
            }
            #expect(try await api.send(.post, "/v1/accounts/\(adminID)/disable", token: admin).status == .conflict)
            #expect(try await api.post("/v1/accounts/\(adminID)/password", token: admin, #"{"password":"another-secret-1"}"#).status == .conflict)
            let second = try await api.post("/v1/accounts", token: admin, #"{"username":"bureau-two","password":"a-long-enough-secret","role":"bureau"}"#)
            let secondID = second.string["id"] ?? ""
            let two = try await api.login("bureau-two", "a-long-enough-secret")
            // Two bureau accounts disabling each other at once: one wins, one enabled account stays.
            async let one = api.send(.post, "/v1/accounts/\(secondID)/disable", token: admin)
            async let other = api.send(.post, "/v1/accounts/\(adminID)/disable", token: two)
            let statuses = [try await one.status, try await other.status]
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { [.ok, .conflict, .unauthorized].contains($0) }, "\(statuses)")
            #expect(try await api.count("accounts WHERE role = 'bureau' AND disabled_at IS NULL") == 1)
        }
    }

    @Test func everyoneChangesTheirOwnPasswordWithTheCurrentOne() async throws {
        try await withAPI { api async throws in
            let first = try await api.login("col-smxzy")
            let second = try await api.login("col-smxzy")
            let wrong = try await api.post("/v1/me/password", token: first, #"{"current":"not-it-at-all","new":"smxzy-brand-new"}"#)
            #expect(wrong.errorFields == ["current"])
            let weak = try await api.post("/v1/me/password", token: first, #"{"current":"\#(TestDatabase.demoPassword)","new":"col-smxzy-pass"}"#)
            #expect(weak.errorFields == ["new"])
            let changed = try await api.post("/v1/me/password", token: first, #"{"current":"\#(TestDatabase.demoPassword)","new":"smxzy-brand-new"}"#)
            #expect(changed.status == .noContent)
            #expect(try await api.get("/v1/me", token: first).status == .ok)
            #expect(try await api.get("/v1/me", token: second).status == .unauthorized)
            _ = try await api.login("col-smxzy", "smxzy-brand-new")
        }
    }

    @Test func guessesAtTheCurrentPasswordAreThrottledLikeSignIns() async throws {
        try await withAPI { api async throws in
            let session = try await api.login("col-smxzy")
            let right = #"{"current":"\#(TestDatabase.demoPassword)","new":"smxzy-brand-new"}"#
            // The right password takes back the failures counted so far.
            _ = try await api.post("/v1/me/password", token: session, #"{"current":"guess-0","new":"smxzy-brand-new"}"#)
            #expect(try await api.post("/v1/me/password", token: session, #"{"current":"\#(TestDatabase.demoPassword)","new":"x"}"#).errorFields == ["new"])
            for n in 1...Store.loginFailuresPerPair {
                let guess = try await api.post("/v1/me/password", token: session, #"{"current":"guess-\#(n)","new":"smxzy-brand-new"}"#)
                #expect(guess.errorFields == ["current"], "guess \(n): \(guess.status)")
            }
            let refused = try await api.post("/v1/me/password", token: session, right)
            #expect(refused.status == .tooManyRequests && refused.headers[.retryAfter] != nil, "\(refused.status)")
            // Sign-in from the same address is held back as well; nothing was changed.
            #expect(try await api.post("/v1/auth/login", #"{"username":"col-smxzy","password":"\#(TestDatabase.demoPassword)"}"#).status == .tooManyRequests)
            #expect(try await api.get("/v1/me", token: session).status == .ok)
        }
    }

    @Test func viewersReadWhatTheBureauReadsAndWriteNothing() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let created = try await api.post("/v1/accounts", token: admin, #"{"username":"fgw-viewer","password":"a-long-enough-secret","role":"viewer"}"#)
            #expect(created.status == .created, "\(created.text)")
            let viewer = try await api.login("fgw-viewer", "a-long-enough-secret")
            let run = try await api.post("/v1/match-runs", token: admin, #"{"region_code":"411282"}"#)
            #expect(try await api.get("/v1/match-runs", token: viewer).items.count == 1)
            #expect(try await api.get("/v1/match-runs/\(run.string["id"] ?? "")", token: viewer).status == .ok)
            #expect(try await api.post("/v1/match-runs", token: viewer, "{}").status == .forbidden)
            let talents = try await api.get("/v1/talents?limit=200", token: viewer)
            #expect(talents.items.count == min(200, try await api.count("talents")))
            #expect(try await api.count("talents WHERE NOT share_with_enterprises") > 0)
            #expect(talents.items.contains { $0["consent"]?["share_with_enterprises"] == .bool(false) })
            #expect(talents.text.contains("****"))
            let pending = try await api.post("/v1/registrations", OrganizationWorkflowTests.registration)
            guard case .object(let org)? = pending["organization"], case .string(let id)? = org["id"] else { return }
            #expect(try await api.get("/v1/enterprises/\(id)", token: viewer).status == .ok)
            #expect(try await api.get("/v1/enterprises/\(id)").status == .notFound)
            #expect(try await api.send(.post, "/v1/enterprises/\(id)/verify", token: viewer).status == .forbidden)
            #expect(try await api.post("/v1/demands", token: viewer, demandBody).status == .forbidden)
            #expect(try await api.get("/v1/audit-events", token: viewer).status == .forbidden)
        }
    }

    @Test func matchRunsAreListedNewestFirst() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            var ids: [String] = []
            for region in ["411202", "411203", "411221"] {
                ids.append(try await api.post("/v1/match-runs", token: admin, #"{"region_code":"\#(region)"}"#).string["id"] ?? "")
            }
            let first = try await api.get("/v1/match-runs?limit=2", token: admin)
            let rest = try await api.get("/v1/match-runs?limit=2&after=\(first.string["next_cursor"] ?? "")", token: admin)
            let listed = (first.items + rest.items).compactMap { if case .string(let id)? = $0["id"] { id } else { nil } }
            #expect(listed == ids.reversed())
            #expect(rest["next_cursor"] == .null)
        }
    }
}
