import ChanjiaoAPI
import ChanjiaoDomain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The sign-in throttle, password rules, session lifetime, security headers, CORS and metrics.
@Suite struct HardeningTests {
    static let start = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30

    static func login(_ api: TestAPI, _ username: String, _ password: String, from address: String) async throws -> Reply {
        try await api.post(
            "/v1/auth/login", #"{"username":"\#(username)","password":"\#(password)"}"#,
            headers: [HTTPField.Name("X-Forwarded-For")!: address])
    }

    @Test func guessesFromElsewhereDoNotLockTheOwnerOut() async throws {
        let clock = FixedClock(Self.start)
        try await withAPI(configure: { $0.clock = clock; $0.trustedProxies = AddressRange.loopback }) { api async throws in
            for _ in 0..<10 {
                #expect(try await Self.login(api, "ent-lbhj", "guess-guess-guess", from: "203.0.113.9").status == .unauthorized)
            }
            let locked = try await Self.login(api, "ent-lbhj", TestDatabase.demoPassword, from: "203.0.113.9")
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers[.retryAfter] ?? "") == 600)
            // The owner, from their own address, signs in; so does another user from the guesser's.
            #expect(try await Self.login(api, "ent-lbhj", TestDatabase.demoPassword, from: "198.51.100.7").status == .ok)
            #expect(try await Self.login(api, "ent-zyyl", TestDatabase.demoPassword, from: "203.0.113.9").status == .ok)
            clock.advance(by: 601)
            #expect(try await Self.login(api, "ent-lbhj", TestDatabase.demoPassword, from: "203.0.113.9").status == .ok)
        }
    }

    @Test func oneAddressIsThrottledAfterAHundredFailuresOverAnyUsernames() async throws {
        let clock = FixedClock(Self.start)
        try await withAPI(configure: { $0.clock = clock; $0.trustedProxies = AddressRange.loopback }) { api async throws in
            for index in 0..<100 {
                #expect(try await Self.login(api, "nobody-\(index % 20)", "guess-guess-guess", from: "203.0.113.50").status == .unauthorized)
            }
            #expect(try await Self.login(api, "ent-zyyl", TestDatabase.demoPassword, from: "203.0.113.50").status == .tooManyRequests)
            #expect(try await Self.login(api, "ent-zyyl", TestDatabase.demoPassword, from: "203.0.113.51").status == .ok)
            clock.advance(by: 601)
            #expect(try await Self.login(api, "ent-zyyl", TestDatabase.demoPassword, from: "203.0.113.50").status == .ok)
        }
    }

    @Test func parallelGuessesCannotOutrunTheCount() async throws {
        try await withAPI { api async throws in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<30 {
                    group.addTask { try await Self.login(api, "ent-lbhj", "guess-guess-guess", from: "x").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 10, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 20, "\(statuses)")
        }
    }

    @Test func aRestartNeitherResetsNorReenablesTheBootstrapAccount() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            _ = try await api.post("/v1/accounts", token: admin, #"{"username":"bureau-two","password":"a-long-enough-secret","role":"bureau"}"#)
            #expect(try await api.post("/v1/me/password", token: admin, #"{"current":"\#(TestDatabase.adminPassword)","new":"the-bureau-chose-this"}"#).status == .noContent)
            let two = try await api.login("bureau-two", "a-long-enough-secret")
            #expect(try await api.send(.post, "/v1/accounts/\(try await api.id("accounts", where: "username", is: "admin"))/disable", token: two).status == .ok)
            try await api.store.ensureBureauAccount(username: "admin", password: TestDatabase.adminPassword)
            #expect(try await api.count("accounts WHERE username = 'admin' AND disabled_at IS NOT NULL") == 1)
            #expect(try await Self.login(api, "admin", TestDatabase.adminPassword, from: "x").status == .unauthorized)
        }
    }

    @Test func anUntrustedPeerCannotChooseItsAddress() async throws {
        try await withAPI { api async throws in
            for index in 0..<10 {
                _ = try await Self.login(api, "ent-lbhj", "guess-guess-guess", from: "10.0.0.\(index)")
            }
            // X-Forwarded-For from a peer that is not a trusted proxy is ignored: all ten count.
            #expect(try await Self.login(api, "ent-lbhj", TestDatabase.demoPassword, from: "10.0.0.99").status == .tooManyRequests)
        }
    }

    @Test func passwordsAreLongNotTheUsernameNotCommonAndEveryByteCounts() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            func create(_ username: String, _ password: String) async throws -> Reply {
                try await api.post("/v1/accounts", token: admin, #"{"username":"\#(username)","password":"\#(password)","role":"viewer"}"#)
            }
            #expect(try await create("viewer-a", "short-pw1").errorFields == ["password"])
            #expect(try await create("viewer-a", "my-viewer-a-pass").errorFields == ["password"])
            #expect(try await create("viewer-a", "Password123").errorFields == ["password"])
            #expect(try await create("viewer-a", String(repeating: "长", count: 129)).errorFields == ["password"])
            // 30 Chinese characters are 90 bytes; bcrypt alone would read only the first 72.
            let long = String(repeating: "产教融合", count: 7) + "一二"
            #expect(try await create("viewer-a", long).status == .created)
            #expect(try await Self.login(api, "viewer-a", long, from: "x").status == .ok)
            let sameStart = String(repeating: "产教融合", count: 7) + "三四"
            #expect(try await Self.login(api, "viewer-a", sameStart, from: "x").status == .unauthorized)
            let registration = #"{"kind":"college","organization":{"name":"某学院","kind":"training_center","region_code":"411202"},"account":{"username":"col-new","password":"12345678"}}"#
            #expect(try await api.post("/v1/registrations", registration).errorFields == ["account.password"])
        }
    }

    @Test func hashesMadeBeforeThePrehashStillVerify() async throws {
        try await withAPI { api async throws in
            // A plain bcrypt hash, as accounts made before the pre-hash have (pgcrypto makes one).
            _ = try await api.store.client.query("CREATE EXTENSION IF NOT EXISTS pgcrypto").collect()
            _ = try await api.store.client.query(
                "UPDATE accounts SET password_hash = crypt('an-old-style-secret', gen_salt('bf', 4)) WHERE username = 'ent-hxtb'"
            ).collect()
            #expect(try await Self.login(api, "ent-hxtb", "an-old-style-secret", from: "x").status == .ok)
            #expect(try await Self.login(api, "ent-hxtb", "an-old-style-secreT", from: "x").status == .unauthorized)
            #expect(try await api.count("accounts WHERE password_hash LIKE '$cj1$%'") > 40)
        }
    }

    @Test func sessionsLastTheConfiguredLifetime() async throws {
        let clock = FixedClock(Self.start)
        try await withAPI(configure: { $0.clock = clock; $0.sessionLifetime = 60 }) { api async throws in
            let reply = try await api.post("/v1/auth/login", #"{"username":"ent-zyyl","password":"\#(TestDatabase.demoPassword)"}"#)
            #expect(reply.string["expires_at"] == Timestamp.format(Self.start.addingTimeInterval(60)))
            let token = reply.string["token"] ?? ""
            #expect(try await api.get("/v1/me", token: token).status == .ok)
            clock.advance(by: 61)
            // Past the lifetime it is refused (the cache keeps nothing past a change, and the
            // lookup compares with the pinned clock).
            try await eventually { try await api.get("/v1/me", token: token).status == .unauthorized }
        }
    }

    @Test func everyResponseCarriesSecurityHeadersAndCORSFollowsTheOriginList() async throws {
        try await withAPI(configure: { $0.corsOrigins = ["https://rencai.smx.gov.cn"] }) { api async throws in
            let plain = try await api.get("/v1/regions?limit=1")
            #expect(plain.headers[.xContentTypeOptions] == "nosniff")
            #expect(plain.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(plain.headers[.cacheControl] == nil)
            let missing = try await api.get("/v1/nowhere")
            #expect(missing.headers[.xContentTypeOptions] == "nosniff")
            let signedIn = try await api.get("/v1/me", token: try await api.login("ent-zyyl"))
            #expect(signedIn.headers[.cacheControl] == "no-store")
            let preflight = try await api.send(
                .options, "/v1/demands", headers: [.origin: "https://rencai.smx.gov.cn", .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://rencai.smx.gov.cn")
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            let stranger = try await api.send(
                .options, "/v1/demands", headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
            #expect(stranger.status == .forbidden)
            #expect(stranger.headers[.accessControlAllowOrigin] == nil)
            let simple = try await api.send(.get, "/v1/regions?limit=1", headers: [.origin: "https://rencai.smx.gov.cn"])
            #expect(simple.headers[.accessControlAllowOrigin] == "https://rencai.smx.gov.cn")
        }
    }

    @Test func metricsAreForTheConfiguredAddressesOrTheBureau() async throws {
        try await withAPI(configure: { $0.metricsAllowed = [AddressRange("192.0.2.0/24")!] }) { api async throws in
            #expect(try await api.get("/metrics").status == .forbidden)
            #expect(try await api.get("/metrics", token: try await api.login("ent-zyyl")).status == .forbidden)
            #expect(try await api.get("/metrics", token: try await api.admin()).status == .ok)
        }
        try await withAPI { api async throws in
            #expect(try await api.get("/metrics").status == .ok)
        }
    }

    @Test func addressRangesMatchByPrefix() {
        let range = AddressRange("10.1.0.0/16")!
        #expect(range.contains("10.1.200.3"))
        #expect(!range.contains("10.2.0.1"))
        #expect(AddressRange("::1")!.contains("::1"))
        #expect(AddressRange.loopback.contains { $0.contains("::ffff:127.0.0.1") })
        #expect(AddressRange("300.1.1.1") == nil && AddressRange("10.0.0.0/33") == nil)
        #expect(AddressRange.list("10.0.0.0/8, ::1")?.count == 2)
        #expect(AddressRange.list("10.0.0.0/8, nonsense") == nil)
    }
}
