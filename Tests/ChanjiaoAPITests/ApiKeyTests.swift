import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// Partner API keys do exactly what their scopes allow, on exactly their own source or college.
@Suite struct ApiKeyTests {
    static func key(_ api: TestAPI, _ admin: String, _ body: String) async throws -> (id: String, key: String) {
        let reply = try await api.post("/v1/api-keys", token: admin, body)
        guard reply.status == .created, let key = reply.string["key"], let id = reply.string["id"] else {
            throw TestSetupError("key not created: \(reply.status) \(reply.text)")
        }
        return (id, key)
    }

    @Test func keysAreValidatedShownOnceAndListedWithoutSecrets() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            #expect(try await api.post("/v1/api-keys", token: admin, #"{"name":"k","scopes":[]}"#).errorFields == ["scopes"])
            #expect(try await api.post("/v1/api-keys", token: admin, #"{"name":"k","scopes":["feed:write"]}"#).errorFields == ["scopes[0]"])
            #expect(try await api.post("/v1/api-keys", token: admin, #"{"name":"k","scopes":["talents:write"]}"#).errorFields == ["source"])
            #expect(try await api.post("/v1/api-keys", token: admin, #"{"name":"k","scopes":["programs:write"]}"#).errorFields == ["organization_id"])
            #expect(try await api.post("/v1/api-keys", token: admin, #"{"name":"k","scopes":["programs:write"],"organization_id":"\#(UUID())"}"#).errorFields == ["organization_id"])
            let created = try await api.post(
                "/v1/api-keys", token: admin, #"{"name":"人才网","scopes":["talents:write","feed:read"],"source":"talent-web"}"#,
                headers: [.idempotencyKey: "key-1"])
            let key = created.string["key"] ?? ""
            #expect(key.hasPrefix("cjk_") && key.count > 40)
            #expect(created.headers[.location] == "/v1/api-keys/\(created.string["id"] ?? "")")
            let replay = try await api.post(
                "/v1/api-keys", token: admin, #"{"name":"人才网","scopes":["talents:write","feed:read"],"source":"talent-web"}"#,
                headers: [.idempotencyKey: "key-1"])
            #expect(replay.string["id"] == created.string["id"])
            #expect(replay["key"] == nil)
            #expect(try await api.count("api_keys") == 1)
            let listed = try await api.get("/v1/api-keys", token: admin)
            #expect(!listed.text.contains(key))
            #expect(listed.items.first?["last_used_at"] == .null)
            #expect(try await api.get("/v1/talents?limit=1", token: key).status == .ok)
            let used = try await api.get("/v1/api-keys/\(created.string["id"] ?? "")", token: admin)
            #expect(used["last_used_at"] != .null)
            #expect(used.string["key_prefix"] == String(key.prefix(12)))
            // The secret is nowhere in the database: not in the keys table, not in a kept response.
            #expect(try await api.count("api_keys k WHERE strpos(row_to_json(k)::text, '\(key)') > 0") == 0)
            #expect(try await api.count("idempotency_keys WHERE strpos(convert_from(body, 'UTF8'), '\(key)') > 0") == 0)
        }
    }

    @Test func aTalentKeyWritesItsOwnSourceOnly() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let (id, key) = try await Self.key(api, admin, #"{"name":"人才网","scopes":["talents:write"],"source":"talent-web"}"#)
            let created = try await api.send(.put, "/v1/talents/by-external-id/talent-web/K-1", token: key, json: talentBody)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.string["phone"] == "13812345678")
            #expect(try await api.send(.put, "/v1/talents/by-external-id/other-site/K-1", token: key, json: talentBody).status == .forbidden)
            #expect(try await api.post("/v1/programs", token: key, programBody).status == .forbidden)
            #expect(try await api.post("/v1/demands", token: key, demandBody).status == .forbidden)
            #expect(try await api.get("/v1/me", token: key).status == .forbidden)
            #expect(try await api.get("/v1/accounts", token: key).status == .forbidden)
            let own = try await api.get("/v1/talents?limit=200", token: key)
            #expect(!own.items.isEmpty && !own.text.contains("****"))
            // Revoked at once.
            #expect(try await api.send(.delete, "/v1/api-keys/\(id)", token: admin).status == .noContent)
            #expect(try await api.get("/v1/talents?limit=1", token: key).status == .unauthorized)
            let audit = try await api.get("/v1/audit-events?object_type=talent&action=created", token: admin)
            guard case .object(let credential)? = audit.items.first?["credential"] else {
                Issue.record("no audit row for the key's write: \(audit.text)")
                return
            }
            #expect(credential["kind"] == .string("api_key") && credential["id"] == .string(id))
        }
    }

    @Test func aProgramKeyWritesItsOwnCollegeOnlyAndAnUnboundKeySeesPublicRecords() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let college = try await api.id("colleges", where: "name", is: "三门峡职业技术学院")
            let otherCollege = try await api.id("colleges", where: "name", is: "三门峡社会管理职业学院")
            let (_, key) = try await Self.key(api, admin, #"{"name":"学校门户","scopes":["programs:write"],"organization_id":"\#(college)"}"#)
            let created = try await api.post("/v1/programs", token: key, programBody)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.string["college_id"] == college)
            let foreign = programBody.replacingOccurrences(of: "{\"title\"", with: "{\"college_id\":\"\(otherCollege)\",\"title\"")
            #expect(try await api.post("/v1/programs", token: key, foreign).status == .forbidden)
            let theirs = try await api.anyOwned("programs", "college_id", otherCollege, also: "status = 'published'")
            #expect(try await api.patch("/v1/programs/\(theirs)", token: key, #"{"capacity":1}"#).status == .forbidden)
            #expect(try await api.send(.put, "/v1/talents/by-external-id/talent-web/K-2", token: key, json: talentBody).status == .forbidden)
            let (_, feed) = try await Self.key(api, admin, #"{"name":"产业平台","scopes":["feed:read"]}"#)
            #expect(try await api.get("/v1/talents?limit=200", token: feed).items.isEmpty)
            #expect(try await api.get("/v1/programs?limit=5", token: feed).items.count == 5)
            #expect(try await api.post("/v1/programs", token: feed, programBody).status == .forbidden)
        }
    }
}
