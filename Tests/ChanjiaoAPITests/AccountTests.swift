import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

@Suite struct AccountTests {
    @Test func loginMeAndLogoutRevokesTheToken() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("ent-zyyl")
            let me = try await api.get("/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(me.string["role"] == "enterprise")
            #expect(me.string["organization_id"] == (try await api.id("enterprises", where: "name", is: "中原冶炼厂")))
            #expect(try await api.send(.post, "/v1/auth/logout", token: token).status == .noContent)
            #expect(try await api.get("/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test func wrongPasswordAndUnknownUserLookAlike() async throws {
        try await withAPI { api async throws in
            let wrong = try await api.post("/v1/auth/login", #"{"username":"ent-zyyl","password":"not-the-password"}"#)
            let unknown = try await api.post("/v1/auth/login", #"{"username":"nobody-here","password":"not-the-password"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.string["detail"] == unknown.string["detail"])
            #expect(try await api.get("/v1/me").status == .unauthorized)
            #expect(try await api.get("/v1/me", token: "cj_forged").status == .unauthorized)
        }
    }

    @Test func repeatedFailedLoginsAreThrottled() async throws {
        try await withAPI { api async throws in
            for _ in 0..<10 {
                #expect(try await api.post("/v1/auth/login", #"{"username":"ent-lbhj","password":"guess-guess"}"#).status == .unauthorized)
            }
            let locked = try await api.post("/v1/auth/login", #"{"username":"ent-lbhj","password":"\#(TestDatabase.demoPassword)"}"#)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter] != nil)
            // Other accounts are not affected.
            _ = try await api.login("ent-zyyl")
        }
    }

    @Test func registrationCreatesAPendingEnterpriseThatPublishesOnlyAfterVerification() async throws {
        try await withAPI { api async throws in
            let body = """
                {"kind":"enterprise","organization":{"name":"三门峡新材料科技有限公司","uscc":"91320500MA1QK7R29J",
                 "region_code":"411202","size":"small"},"account":{"username":"ent-new","password":"a-good-password"}}
                """
            let registered = try await api.post("/v1/registrations", body)
            #expect(registered.status == .created)
            guard case .object(let organization)? = registered["organization"], case .string(let id)? = organization["id"] else {
                Issue.record("no organization in \(registered.text)")
                return
            }
            #expect(organization["status"] == .string("pending"))
            let token = try await api.login("ent-new", "a-good-password")
            let demand = #"{"title":"铝箔轧制工","occupation_code":"6-17-04-01","headcount":5,"min_level":"secondary","mode":"employment","region_code":"411202"}"#
            let early = try await api.post("/v1/demands", token: token, demand)
            #expect(early.status == .conflict, "a pending enterprise must not publish: \(early.text)")
            // Anonymous callers don't see a pending enterprise.
            #expect(try await api.get("/v1/enterprises/\(id)").status == .notFound)
            let verified = try await api.send(.post, "/v1/enterprises/\(id)/verify", token: try await api.admin())
            #expect(verified.status == .ok)
            #expect(verified.string["status"] == "active")
            let later = try await api.post("/v1/demands", token: token, demand)
            #expect(later.status == .created, "\(later.text)")
            let again = try await api.send(.post, "/v1/enterprises/\(id)/verify", token: try await api.admin())
            #expect(again.status == .conflict)
        }
    }

    @Test func anonymousIdempotencyKeysReplayOnlyTheSameRequest() async throws {
        try await withAPI { api async throws in
            func body(_ name: String, _ uscc: String) -> String {
                #"{"kind":"enterprise","organization":{"name":"\#(name)","uscc":"\#(uscc)","region_code":"411202","size":"small"},"account":{"username":"ent-\#(uscc.suffix(4).lowercased())","password":"a-good-password"}}"#
            }
            let first = try await api.post("/v1/registrations", body("甲公司", "91320500MA1QK7R29J"), headers: [.idempotencyKey: "same-key"])
            let replay = try await api.post("/v1/registrations", body("甲公司", "91320500MA1QK7R29J"), headers: [.idempotencyKey: "same-key"])
            #expect(first.status == .created && replay.status == .created)
            #expect(replay.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            // A stranger reusing the key with their own body is not served the first response.
            let stranger = try await api.post("/v1/registrations", body("乙公司", "91110000600037341L"), headers: [.idempotencyKey: "same-key"])
            #expect(stranger.status == .created)
            #expect(stranger.text.contains("乙公司") && !stranger.text.contains("甲公司"))
            // The same key and body with another password is another request: a 422, and the
            // kept row holds no fast hash of the password (bcrypt only).
            let admin = try await api.admin()
            let account = #"{"username":"idem-viewer","password":"first-pass-2026!","role":"viewer"}"#
            #expect(try await api.post("/v1/accounts", token: admin, account, headers: [.idempotencyKey: "acct"]).status == .created)
            let again = try await api.post("/v1/accounts", token: admin, account, headers: [.idempotencyKey: "acct"])
            #expect(again.status == .created && again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let other = try await api.post(
                "/v1/accounts", token: admin, account.replacingOccurrences(of: "first-pass", with: "second-pass"), headers: [.idempotencyKey: "acct"])
            #expect(other.errorFields == ["Idempotency-Key"], "\(other.status)")
            #expect(try await api.count("idempotency_keys WHERE key = 'acct' AND secret_hash LIKE '%$2%'") == 1)
        }
    }

    @Test func registrationRejectsEveryBrokenFieldAtOnceAndWritesNothing() async throws {
        try await withAPI { api async throws in
            let before = try await api.count("enterprises")
            let body = """
                {"kind":"enterprise","organization":{"name":"","uscc":"91320500MA1QK7R29K","region_code":"999999","size":"huge"},
                 "account":{"username":"x","password":"short"}}
                """
            let reply = try await api.post("/v1/registrations", body)
            #expect(reply.status == .unprocessableContent)
            let fields = Set(reply.errorFields)
            for field in ["organization.name", "organization.uscc", "organization.size", "account.username", "account.password"] {
                #expect(fields.contains(field), "missing \(field) in \(reply.text)")
            }
            #expect(try await api.count("enterprises") == before)
            #expect(try await api.count("accounts") > 0)
        }
    }

    @Test func onlyTheBureauCreatesAccounts() async throws {
        try await withAPI { api async throws in
            let body = #"{"username":"county-new","password":"a-good-password","role":"county","region_code":"411221"}"#
            #expect(try await api.post("/v1/accounts", token: try await api.login("ent-zyyl"), body).status == .forbidden)
            #expect(try await api.post("/v1/accounts", body).status == .unauthorized)
            let created = try await api.post("/v1/accounts", token: try await api.admin(), body)
            #expect(created.status == .created)
            #expect(created.string["role"] == "county")
            #expect(created["password"] == nil && created["password_hash"] == nil)
            let duplicate = try await api.post("/v1/accounts", token: try await api.admin(), body)
            #expect(duplicate.status == .conflict)
            let noRegion = try await api.post("/v1/accounts", token: try await api.admin(), #"{"username":"county-x","password":"a-good-password","role":"county"}"#)
            #expect(noRegion.errorFields == ["region_code"])
            // A county officer's region is a county; no other role has one.
            for (role, region) in [("county", "411200"), ("county", "410000"), ("viewer", "411221"), ("bureau", "411221")] {
                let body = #"{"username":"acct-\#(role)-\#(region)","password":"a-good-password","role":"\#(role)","region_code":"\#(region)"}"#
                let refused = try await api.post("/v1/accounts", token: try await api.admin(), body)
                #expect(refused.errorFields == ["region_code"], "\(role) \(region): \(refused.status)")
            }
        }
    }
}
