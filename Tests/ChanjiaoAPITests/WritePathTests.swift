import ChanjiaoDomain
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

let talentBody = #"{"name":"王五","phone":"13812345678","education_level":"associate","skills":[{"code":"MET-001","level":3}],"consent":{"share_with_enterprises":true,"given_at":"2026-11-01T08:00:00Z"}}"#
let demandBody = #"{"title":"冶炼工招聘","occupation_code":"6-17-06-01","skills":[{"code":"MET-001","level":3,"weight":2}],"headcount":5,"min_level":"secondary","mode":"employment","region_code":"411202","status":"open"}"#

/// Every write goes through the one write path: exactly one audit row, and one outbox row for
/// the feed's kinds, on success; nothing on failure.
@Suite struct WritePathTests {
    /// One write: the request that succeeds, the one that fails, and the outbox event expected.
    struct Case: Sendable {
        var name: String
        var ok: @Sendable (Env) async throws -> Reply
        var bad: @Sendable (Env) async throws -> Reply
        /// The outbox event type, or nil when the object is audited but not in the feed; for a
        /// write with follow-ups (an approval's certification and reward), the last one's.
        var event: String?
        /// Audit rows of the request: one, and one more per follow-up.
        var auditRows = 1
    }

    /// Tokens and fixtures every case may use.
    struct Env: Sendable {
        let api: TestAPI
        let admin: String
        let enterprise: String
        let college: String
        let partner: String
        let enterpriseID: String
        let collegeID: String
        /// A demand and a program that can cooperate, and a proposal between them, made
        /// before any case runs (failing requests must find their records in place).
        var coopDemand = ""
        var coopProgram = ""
        var proposed = ""

        func id(_ reply: Reply) -> String { reply.string["id"] ?? "" }

        /// ent-zyyl's applications, moved by the bureau acting for the county.
        var certification: CertificationFixtures { CertificationFixtures(api: api, enterprise: enterprise, county: nil, bureau: admin) }

        func transition(_ id: String, _ body: String, _ token: String) async throws -> Reply {
            try await api.post("/v1/applications/\(id)/transitions", token: token, body)
        }

        /// A fresh reward of ent-zyyl (a certification of its own year).
        func reward(_ year: Int) async throws -> (certification: String, reward: String) {
            let made = try await certification.certified(year: year)
            return (made.certification, made.reward)
        }

        /// A fresh subscription of the bureau (to a public address nothing answers here).
        func webhook() async throws -> Reply {
            try await api.post("/v1/webhooks", token: admin, #"{"url":"https://93.184.216.34/write-path","events":["demand.created"]}"#)
        }

        /// A fresh cooperation proposed by ent-zyyl to col-smxzy.
        func newCooperation() async throws -> Reply {
            let demand = try await CooperationTests.demand(api, enterprise)
            let program = try await CooperationTests.program(api, college)
            return try await CooperationTests.propose(api, enterprise, demand: demand, program: program, seats: 1)
        }
    }

    static func register(_ api: TestAPI, _ name: String, kind: String = "enterprise") async throws -> Reply {
        let organization = kind == "enterprise"
            ? #"{"name":"\#(name)","uscc":"\#(USCC.withCheckCharacters("91411202" + String(format: "%08d", abs(name.hashValue) % 99_999_999))!)","region_code":"411202","size":"small"}"#
            : #"{"name":"\#(name)","kind":"training_center","region_code":"411202"}"#
        return try await api.post(
            "/v1/registrations", #"{"kind":"\#(kind)","organization":\#(organization),"account":{"username":"\#(name)","password":"a-long-enough-secret"}}"#)
    }

    static let cases: [Case] = [
        Case(name: "login", ok: { try await $0.api.post("/v1/auth/login", #"{"username":"ent-lbhj","password":"\#(TestDatabase.demoPassword)"}"#) },
             bad: { try await $0.api.post("/v1/auth/login", #"{"username":"ent-lbhj","password":"wrong-password"}"#) }, event: nil),
        Case(name: "logout", ok: { env in try await env.api.send(.post, "/v1/auth/logout", token: try await env.api.login("ent-kmly")) },
             bad: { try await $0.api.send(.post, "/v1/auth/logout", token: "cj_nothing") }, event: nil),
        Case(name: "own password", ok: { env in
                try await env.api.post("/v1/me/password", token: try await env.api.login("ent-swq"), #"{"current":"\#(TestDatabase.demoPassword)","new":"another-good-secret"}"#)
             },
             bad: { env in try await env.api.post("/v1/me/password", token: env.enterprise, #"{"current":"wrong-wrong","new":"another-good-secret"}"#) }, event: nil),
        Case(name: "registration", ok: { try await register($0.api, "reg-one") },
             bad: { try await $0.api.post("/v1/registrations", #"{"kind":"enterprise","organization":{},"account":{}}"#) }, event: "enterprise.created"),
        Case(name: "create account", ok: { env in
                try await env.api.post("/v1/accounts", token: env.admin, #"{"username":"viewer-one","password":"a-long-enough-secret","role":"viewer"}"#)
             },
             bad: { env in try await env.api.post("/v1/accounts", token: env.enterprise, #"{"username":"viewer-two","password":"a-long-enough-secret","role":"viewer"}"#) },
             event: nil),
        Case(name: "disable account", ok: { env in
                try await env.api.send(.post, "/v1/accounts/\(try await env.api.id("accounts", where: "username", is: "ent-kxhg"))/disable", token: env.admin)
             },
             bad: { env in try await env.api.send(.post, "/v1/accounts/\(try await env.api.id("accounts", where: "username", is: "admin"))/disable", token: env.admin) },
             event: nil),
        Case(name: "enable account", ok: { env in
                try await env.api.send(.post, "/v1/accounts/\(try await env.api.id("accounts", where: "username", is: "ent-kxhg"))/enable", token: env.admin)
             },
             bad: { env in try await env.api.send(.post, "/v1/accounts/\(UUID())/enable", token: env.admin) }, event: nil),
        Case(name: "reset password", ok: { env in
                try await env.api.post("/v1/accounts/\(try await env.api.id("accounts", where: "username", is: "ent-jtcl"))/password", token: env.admin, #"{"password":"a-brand-new-secret"}"#)
             },
             bad: { env in
                try await env.api.post("/v1/accounts/\(try await env.api.id("accounts", where: "username", is: "ent-jtcl"))/password", token: env.admin, #"{"password":"short"}"#)
             }, event: nil),
        Case(name: "revoke sessions", ok: { env in
                try await env.api.send(.delete, "/v1/accounts/\(try await env.api.id("accounts", where: "username", is: "ent-jtcl"))/sessions", token: env.admin)
             },
             bad: { env in try await env.api.send(.delete, "/v1/accounts/\(UUID())/sessions", token: env.admin) }, event: nil),
        Case(name: "create API key", ok: { env in
                try await env.api.post("/v1/api-keys", token: env.admin, #"{"name":"人才网","scopes":["talents:write"],"source":"talent-web"}"#)
             },
             bad: { env in try await env.api.post("/v1/api-keys", token: env.admin, #"{"name":"人才网","scopes":[]}"#) }, event: nil),
        Case(name: "revoke API key", ok: { env in
                let key = try await env.api.post("/v1/api-keys", token: env.admin, #"{"name":"k","scopes":["feed:read"]}"#)
                return try await env.api.send(.delete, "/v1/api-keys/\(env.id(key))", token: env.admin)
             },
             bad: { env in try await env.api.send(.delete, "/v1/api-keys/\(UUID())", token: env.admin) }, event: nil),
        Case(name: "create enterprise", ok: { env in
                try await env.api.post("/v1/enterprises", token: env.admin, #"{"name":"新企业","uscc":"91350200MA2YJ1XR9G","region_code":"411202","size":"small"}"#)
             },
             bad: { env in try await env.api.post("/v1/enterprises", token: env.admin, #"{"name":"新企业","uscc":"91350200MA2YJ1XR9G","region_code":"411200","size":"small"}"#) },
             event: "enterprise.created"),
        Case(name: "patch enterprise", ok: { env in try await env.api.patch("/v1/enterprises/\(env.enterpriseID)", token: env.enterprise, #"{"address":"新地址"}"#) },
             bad: { env in try await env.api.patch("/v1/enterprises/\(env.enterpriseID)", token: env.enterprise, #"{"name":"改名"}"#) },
             event: "enterprise.updated"),
        Case(name: "verify enterprise", ok: { env in
                let registered = try await register(env.api, "reg-two")
                guard case .object(let org)? = registered["organization"], case .string(let id)? = org["id"] else { return registered }
                return try await env.api.send(.post, "/v1/enterprises/\(id)/verify", token: env.admin)
             },
             bad: { env in try await env.api.send(.post, "/v1/enterprises/\(env.enterpriseID)/verify", token: env.admin) },
             event: "enterprise.verified"),
        Case(name: "reject enterprise", ok: { env in
                let registered = try await register(env.api, "reg-three")
                guard case .object(let org)? = registered["organization"], case .string(let id)? = org["id"] else { return registered }
                return try await env.api.post("/v1/enterprises/\(id)/reject", token: env.admin, #"{"reason":"营业执照不清晰"}"#)
             },
             bad: { env in try await env.api.post("/v1/enterprises/\(env.enterpriseID)/reject", token: env.admin, #"{"reason":"x"}"#) },
             event: "enterprise.rejected"),
        Case(name: "resubmit enterprise", ok: { env in
                let registered = try await register(env.api, "reg-four")
                guard case .object(let org)? = registered["organization"], case .string(let id)? = org["id"] else { return registered }
                _ = try await env.api.post("/v1/enterprises/\(id)/reject", token: env.admin, #"{"reason":"材料不全"}"#)
                return try await env.api.send(.post, "/v1/enterprises/\(id)/resubmit", token: try await env.api.login("reg-four", "a-long-enough-secret"))
             },
             bad: { env in try await env.api.send(.post, "/v1/enterprises/\(env.enterpriseID)/resubmit", token: env.enterprise) },
             event: "enterprise.resubmitted"),
        Case(name: "suspend college", ok: { env in
                try await env.api.post("/v1/colleges/\(try await env.api.id("colleges", where: "name", is: "三门峡社会管理职业学院"))/suspend", token: env.admin, #"{"reason":"停业整顿"}"#)
             },
             bad: { env in try await env.api.post("/v1/colleges/\(env.collegeID)/suspend", token: env.admin, #"{}"#) },
             event: "college.suspended"),
        Case(name: "reinstate college", ok: { env in
                try await env.api.send(.post, "/v1/colleges/\(try await env.api.id("colleges", where: "name", is: "三门峡社会管理职业学院"))/reinstate", token: env.admin)
             },
             bad: { env in try await env.api.send(.post, "/v1/colleges/\(env.collegeID)/reinstate", token: env.admin) },
             event: "college.reinstated"),
        Case(name: "create program", ok: { env in try await env.api.post("/v1/programs", token: env.college, programBody) },
             bad: { env in try await env.api.post("/v1/programs", token: env.enterprise, programBody) }, event: "program.created"),
        Case(name: "patch program", ok: { env in
                try await env.api.patch("/v1/programs/\(try await env.api.anyOwned("programs", "college_id", env.collegeID))", token: env.college, #"{"capacity":33}"#)
             },
             bad: { env in
                try await env.api.patch("/v1/programs/\(try await env.api.anyOwned("programs", "college_id", env.collegeID))", token: env.college, #"{"capacity":-1}"#)
             }, event: "program.updated"),
        Case(name: "archive program", ok: { env in
                let created = try await env.api.post("/v1/programs", token: env.college, programBody)
                return try await env.api.send(.post, "/v1/programs/\(env.id(created))/archive", token: env.college)
             },
             bad: { env in
                try await env.api.send(.post, "/v1/programs/\(try await env.api.anyOwned("programs", "college_id", env.collegeID))/archive", token: env.enterprise)
             }, event: "program.archived"),
        Case(name: "create demand", ok: { env in try await env.api.post("/v1/demands", token: env.enterprise, demandBody) },
             bad: { env in try await env.api.post("/v1/demands", token: env.enterprise, demandBody.replacingOccurrences(of: "\"headcount\":5", with: "\"headcount\":0")) },
             event: "demand.created"),
        Case(name: "patch demand", ok: { env in
                try await env.api.patch("/v1/demands/\(try await env.api.anyOwned("demands", "enterprise_id", env.enterpriseID))", token: env.enterprise, #"{"headcount":7}"#)
             },
             bad: { env in
                try await env.api.patch("/v1/demands/\(try await env.api.anyOwned("demands", "enterprise_id", env.enterpriseID))", token: env.enterprise, #"{"headcount":7}"#, headers: [.ifMatch: "\"999\""])
             }, event: "demand.updated"),
        Case(name: "archive demand", ok: { env in
                let created = try await env.api.post("/v1/demands", token: env.enterprise, demandBody)
                return try await env.api.send(.post, "/v1/demands/\(env.id(created))/archive", token: env.enterprise)
             },
             bad: { env in try await env.api.send(.post, "/v1/demands/\(UUID())/archive", token: env.enterprise) }, event: "demand.archived"),
        Case(name: "create talent", ok: { env in try await env.api.post("/v1/talents", token: env.partner, talentBody.replacingOccurrences(of: "{\"name\"", with: "{\"external_id\":\"W-1\",\"name\"")) },
             bad: { env in try await env.api.post("/v1/talents", token: env.enterprise, talentBody) }, event: "talent.created"),
        Case(name: "patch talent", ok: { env in
                try await env.api.patch("/v1/talents/\(try await env.api.anyOwned("talents", "source", "talent-web"))", token: env.partner, #"{"phone":"13900000000"}"#)
             },
             bad: { env in
                try await env.api.patch("/v1/talents/\(try await env.api.anyOwned("talents", "source", "talent-web"))", token: env.partner, #"{"phone":"12345"}"#)
             }, event: "talent.updated"),
        Case(name: "upsert talent", ok: { env in try await env.api.send(.put, "/v1/talents/by-external-id/talent-web/W-2", token: env.partner, json: talentBody) },
             bad: { env in try await env.api.send(.put, "/v1/talents/by-external-id/other/W-2", token: env.partner, json: talentBody) }, event: "talent.created"),
        Case(name: "delete talent", ok: { env in
                try await env.api.send(.delete, "/v1/talents/\(try await env.api.id("talents", where: "external_id", is: "W-2"))", token: env.partner)
             },
             bad: { env in try await env.api.send(.delete, "/v1/talents/\(UUID())", token: env.partner) }, event: "talent.deleted"),
        Case(name: "propose cooperation", ok: { env in try await env.newCooperation() },
             bad: { env in
                try await CooperationTests.propose(env.api, env.enterprise, demand: env.coopDemand, program: env.coopProgram, seats: 1, mode: "employment")
             }, event: "cooperation.created"),
        Case(name: "accept cooperation", ok: { env in
                try await env.api.send(.post, "/v1/cooperations/\(env.id(try await env.newCooperation()))/accept", token: env.college)
             },
             bad: { env in try await env.api.send(.post, "/v1/cooperations/\(env.proposed)/accept", token: env.enterprise) },
             event: "cooperation.accepted"),
        Case(name: "decline cooperation", ok: { env in
                try await env.api.send(.post, "/v1/cooperations/\(env.id(try await env.newCooperation()))/decline", token: env.college)
             },
             bad: { env in try await env.api.send(.post, "/v1/cooperations/\(UUID())/decline", token: env.college) }, event: "cooperation.declined"),
        Case(name: "withdraw cooperation", ok: { env in
                try await env.api.send(.post, "/v1/cooperations/\(env.id(try await env.newCooperation()))/withdraw", token: env.enterprise)
             },
             bad: { env in try await env.api.send(.post, "/v1/cooperations/\(env.proposed)/withdraw", token: env.college) },
             event: "cooperation.withdrawn"),
        Case(name: "complete cooperation", ok: { env in
                let id = env.id(try await env.newCooperation())
                _ = try await env.api.send(.post, "/v1/cooperations/\(id)/accept", token: env.college)
                return try await env.api.post("/v1/cooperations/\(id)/complete", token: env.college, #"{"completed_on":"2027-07-01","trainees":1}"#)
             },
             bad: { env in
                try await env.api.post("/v1/cooperations/\(env.proposed)/complete", token: env.college, #"{"completed_on":"2027-07-01","trainees":1}"#)
             }, event: "cooperation.completed"),
        Case(name: "terminate cooperation", ok: { env in
                let id = env.id(try await env.newCooperation())
                _ = try await env.api.send(.post, "/v1/cooperations/\(id)/accept", token: env.college)
                return try await env.api.post("/v1/cooperations/\(id)/terminate", token: env.enterprise, #"{"note":"停产"}"#)
             },
             bad: { env in try await env.api.post("/v1/cooperations/\(env.proposed)/terminate", token: env.enterprise, #"{"note":"停产"}"#) },
             event: "cooperation.terminated"),
        Case(name: "match run", ok: { env in try await env.api.post("/v1/match-runs", token: env.admin, #"{"region_code":"411282"}"#) },
             bad: { env in try await env.api.post("/v1/match-runs", token: env.admin, #"{"region_code":"x"}"#) }, event: nil),
        Case(name: "create application", ok: { env in try await env.api.post("/v1/applications", token: env.enterprise, CertificationFixtures.body(year: 2070)) },
             bad: { env in try await env.api.post("/v1/applications", token: env.enterprise, CertificationFixtures.body(year: 1999)) },
             event: "application.created"),
        Case(name: "edit application", ok: { env in
                let id = try await env.certification.application(year: 2071)
                return try await env.api.patch("/v1/applications/\(id)", token: env.enterprise, #"{"materials":{"trainees_per_year":99}}"#)
             },
             bad: { env in try await env.api.patch("/v1/applications/\(UUID())", token: env.enterprise, #"{"year":2072}"#) },
             event: "application.updated"),
        Case(name: "submit application", ok: { env in
                try await env.transition(try await env.certification.application(year: 2072), #"{"action":"submit"}"#, env.enterprise)
             },
             bad: { env in try await env.transition(UUID().uuidString, #"{"action":"submit"}"#, env.enterprise) }, event: "application.submitted"),
        Case(name: "withdraw application", ok: { env in
                try await env.transition(try await env.certification.application(year: 2073), #"{"action":"withdraw"}"#, env.enterprise)
             },
             bad: { env in try await env.transition(UUID().uuidString, #"{"action":"withdraw"}"#, env.enterprise) }, event: "application.withdrawn"),
        Case(name: "county-approve application", ok: { env in
                try await env.transition(try await env.certification.application(year: 2074, state: "submitted"), #"{"action":"county_approve"}"#, env.admin)
             },
             bad: { env in try await env.transition(UUID().uuidString, #"{"action":"county_approve"}"#, env.admin) },
             event: "application.county_approved"),
        Case(name: "return application", ok: { env in
                try await env.transition(
                    try await env.certification.application(year: 2075, state: "submitted"), #"{"action":"return","note":"补充材料"}"#, env.admin)
             },
             bad: { env in try await env.transition(UUID().uuidString, #"{"action":"return"}"#, env.admin) }, event: "application.returned"),
        Case(name: "recommend application", ok: { env in
                try await env.transition(try await env.certification.application(year: 2076, state: "county_approved"), #"{"action":"recommend"}"#, env.admin)
             },
             bad: { env in try await env.transition(UUID().uuidString, #"{"action":"recommend"}"#, env.admin) }, event: "application.recommended"),
        // The approval's own row, then its certification's and its reward's.
        Case(name: "record a decision", ok: { env in
                try await env.transition(
                    try await env.certification.application(year: 2077, state: "recommended"), CertificationFixtures.decision(CertificationFixtures.today),
                    env.admin)
             },
             bad: { env in try await env.transition(UUID().uuidString, CertificationFixtures.decision("2099-01-01"), env.admin) },
             event: "reward.created", auditRows: 3),
        Case(name: "attach a file", ok: { env in
                try await AttachmentTests.upload(env.api, try await env.certification.application(year: 2078), env.enterprise)
             },
             bad: { env in try await AttachmentTests.upload(env.api, UUID().uuidString, env.enterprise) }, event: nil),
        Case(name: "remove a file", ok: { env in
                let id = try await env.certification.application(year: 2079)
                let file = env.id(try await AttachmentTests.upload(env.api, id, env.enterprise))
                return try await env.api.send(.delete, "/v1/applications/\(id)/attachments/\(file)", token: env.enterprise)
             },
             bad: { env in try await env.api.send(.delete, "/v1/applications/\(UUID())/attachments/\(UUID())", token: env.enterprise) },
             event: nil),
        Case(name: "set a quota", ok: { env in
                try await env.api.send(.put, "/v1/quotas/2070/provincial/411202", token: env.admin, json: #"{"recommendations":3}"#)
             },
             bad: { env in try await env.api.send(.put, "/v1/quotas/2070/provincial/410102", token: env.admin, json: #"{"recommendations":3}"#) },
             event: nil),
        Case(name: "set targets", ok: { env in try await env.api.send(.put, "/v1/targets/2070/411202", token: env.admin, json: SupervisionTests.target
                .replacingOccurrences(of: "2027-11-30", with: "2070-11-30")) },
             bad: { env in try await env.api.send(.put, "/v1/targets/2070/411202", token: env.admin, json: SupervisionTests.target) },
             event: nil),
        Case(name: "set a reward policy", ok: { env in
                try await env.api.send(
                    .put, "/v1/reward-policies/provincial", token: env.admin, json: #"{"amount_fen":20000000,"effective_from":"2019-01-01","top_up":true}"#)
             },
             bad: { env in try await env.api.send(.put, "/v1/reward-policies/city", token: env.admin, json: #"{"amount_fen":1,"effective_from":"2019-01-01","top_up":true}"#) },
             event: nil),
        Case(name: "record a payment", ok: { env in
                try await env.api.post("/v1/rewards/\(try await env.reward(2080).reward)/disburse", token: env.admin, #"{"paid_on":"2026-11-30","voucher_no":"WP-1"}"#)
             },
             bad: { env in try await env.api.post("/v1/rewards/\(UUID())/disburse", token: env.admin, #"{"paid_on":"2026-11-30","voucher_no":"WP-1"}"#) },
             event: "reward.disbursing"),
        Case(name: "confirm a payment", ok: { env in
                let reward = try await env.reward(2081).reward
                _ = try await env.api.post("/v1/rewards/\(reward)/disburse", token: env.admin, #"{"paid_on":"2026-11-30","voucher_no":"WP-2"}"#)
                return try await env.api.send(.post, "/v1/rewards/\(reward)/confirm", token: try await env.api.login("bureau-finance"))
             },
             bad: { env in try await env.api.send(.post, "/v1/rewards/\(UUID())/confirm", token: env.admin) }, event: "reward.disbursed"),
        Case(name: "cancel a reward", ok: { env in
                try await env.api.post("/v1/rewards/\(try await env.reward(2082).reward)/cancel", token: env.admin, #"{"reason":"企业放弃"}"#)
             },
             bad: { env in try await env.api.post("/v1/rewards/\(UUID())/cancel", token: env.admin, #"{"reason":"企业放弃"}"#) },
             event: "reward.cancelled"),
        // The revocation's own row, then its reward's.
        Case(name: "revoke a certification", ok: { env in
                try await env.api.post(
                    "/v1/certifications/\(try await env.reward(2083).certification)/revoke", token: env.admin, #"{"reason":"弄虚作假","document_no":"三工信〔2026〕1号"}"#)
             },
             bad: { env in try await env.api.post("/v1/certifications/\(UUID())/revoke", token: env.admin, #"{"reason":"弄虚作假"}"#) },
             event: "reward.cancelled", auditRows: 2),
        // The import's own row and its record's.
        Case(name: "import talents", ok: { env in
                try await ImportTests.importFile(
                    env.api, "talents", token: env.partner,
                    "external_id,name,phone,education_level,consent.share_with_enterprises,consent.given_at\nWP-IMP,王五,13812345678,associate,true,2026-11-01T08:00:00Z\n")
             },
             bad: { env in try await ImportTests.importFile(env.api, "talents", token: env.partner, "external_id,name\nWP-IMP,王五\n") },
             event: "talent.created", auditRows: 2),
        Case(name: "subscribe a webhook", ok: { env in try await env.webhook() },
             bad: { env in try await env.api.post("/v1/webhooks", token: env.admin, #"{"url":"http://10.0.0.1/","events":["demand.created"]}"#) },
             event: nil),
        Case(name: "rotate a webhook's secret", ok: { env in
                try await env.api.send(.post, "/v1/webhooks/\(env.id(try await env.webhook()))/rotate-secret", token: env.admin)
             },
             bad: { env in try await env.api.send(.post, "/v1/webhooks/\(UUID())/rotate-secret", token: env.admin) }, event: nil),
        Case(name: "enable a webhook", ok: { env in
                try await env.api.send(.post, "/v1/webhooks/\(env.id(try await env.webhook()))/enable", token: env.admin)
             },
             bad: { env in try await env.api.send(.post, "/v1/webhooks/\(UUID())/enable", token: env.admin) }, event: nil),
        Case(name: "delete a webhook", ok: { env in
                try await env.api.send(.delete, "/v1/webhooks/\(env.id(try await env.webhook()))", token: env.admin)
             },
             bad: { env in try await env.api.send(.delete, "/v1/webhooks/\(UUID())", token: env.admin) }, event: nil),
    ]

    @Test func everyWriteHasOneAuditRowAndOneOutboxRowAndFailuresNone() async throws {
        try await withAPI { api async throws in
            var env = Env(
                api: api, admin: try await api.admin(), enterprise: try await api.login("ent-zyyl"), college: try await api.login("col-smxzy"),
                partner: try await api.login("talent-web"), enterpriseID: try await api.id("enterprises", where: "name", is: "中原冶炼厂"),
                collegeID: try await api.id("colleges", where: "name", is: "三门峡职业技术学院"))
            env.coopDemand = try await CooperationTests.demand(api, env.enterprise)
            env.coopProgram = try await CooperationTests.program(api, env.college)
            env.proposed = env.id(try await CooperationTests.propose(api, env.enterprise, demand: env.coopDemand, program: env.coopProgram, seats: 1))
            let fixed = env
            for item in Self.cases {
                // Setup requests inside a case write too: count around the last request only.
                let before = (try await api.count("audit_events"), try await api.count("outbox_events"))
                let bad = try await item.bad(fixed)
                #expect((400..<500).contains(Int(bad.status.code)), "\(item.name): the failing request got \(bad.status)")
                let afterBad = (try await api.count("audit_events"), try await api.count("outbox_events"))
                #expect(afterBad == before, "\(item.name): a failed write left rows")
                let ok = try await item.ok(fixed)
                #expect((200..<300).contains(Int(ok.status.code)), "\(item.name): \(ok.status) \(ok.text)")
                let last = try await api.lastEvents()
                #expect(last.audit != nil, "\(item.name): no audit row")
                if let event = item.event {
                    #expect(last.outbox == event, "\(item.name): outbox event \(last.outbox ?? "none"), expected \(event)")
                    #expect(last.auditObjectID == last.outboxResourceID, "\(item.name): audit and outbox name different records")
                    #expect(last.audit == event, "\(item.name): the last audit row is \(last.audit ?? "none")")
                }
                let rows = try await api.rowsOfLastRequest()
                #expect(rows.audit == item.auditRows, "\(item.name): \(rows.audit) audit rows for one request")
                #expect(rows.outbox == (item.event == nil ? 0 : 1), "\(item.name): \(rows.outbox) outbox rows for one request")
            }
            // No outbox row holds a talent's name or phone, and no audit row either.
            #expect(try await api.count("outbox_events WHERE data ? 'name' AND resource_type = 'talent'") == 0)
            #expect(try await api.count("outbox_events WHERE data::text LIKE '%13812345678%' OR data::text LIKE '%王五%'") == 0)
            #expect(try await api.count("audit_events WHERE coalesce(before::text, '') || coalesce(after::text, '') LIKE '%王五%'") == 0)
        }
    }

    @Test func theAuditLogIsAppendOnly() async throws {
        try await withAPI { api async throws in
            _ = try await api.login("ent-zyyl")
            for statement in ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events", "TRUNCATE audit_events"] {
                await #expect(throws: (any Error).self, "\(statement)") {
                    _ = try await api.store.client.query(PostgresQuery(unsafeSQL: statement)).collect()
                }
            }
            #expect(try await api.count("audit_events WHERE action = 'logged_in'") == 1)
        }
    }
}

extension TestAPI {
    /// A record of `table` whose `column` is `value` (one the caller owns).
    /// `also`: a further condition, e.g. `status = 'published'` (ids differ from run to run).
    func anyOwned(_ table: String, _ column: String, _ value: String, also: String = "true") async throws -> String {
        let rows = try await store.client.query(
            "SELECT id::text FROM \(unescaped: table) WHERE \(unescaped: column)::text = \(value) AND \(unescaped: also) ORDER BY id LIMIT 1"
        ).decode(String.self)
        for try await id in rows { return id }
        throw TestSetupError("no \(table) with \(column) = \(value)")
    }

    /// The newest audit row, and the newest outbox row of the record it names.
    func lastEvents() async throws -> (audit: String?, auditObjectID: String?, outbox: String?, outboxResourceID: String?) {
        var result: (String?, String?, String?, String?) = (nil, nil, nil, nil)
        for try await (action, object) in try await store.client.query(
            "SELECT object_type || '.' || action, object_id::text FROM audit_events WHERE \(unescaped: Self.ownRow) ORDER BY id DESC LIMIT 1"
        ).decode((String, String?).self) { result.0 = action; result.1 = object }
        for try await (type, resource) in try await store.client.query(
            """
            SELECT type, resource_id::text FROM outbox_events
            WHERE resource_id = (SELECT object_id FROM audit_events WHERE \(unescaped: Self.ownRow) ORDER BY id DESC LIMIT 1) ORDER BY id DESC LIMIT 1
            """
        ).decode((String, String).self) { result.2 = type; result.3 = resource }
        return result
    }

    /// The newest audit row that is a record's: an import's own row comes after its records'
    /// (the statements that change them write their rows).
    static let ownRow = "object_type <> 'import'"

    /// Audit and outbox rows of the last request: those of the newest audit row's request id.
    func rowsOfLastRequest() async throws -> (audit: Int, outbox: Int) {
        var audit = 0
        var outbox = 0
        for try await (a, o) in try await store.client.query(
            """
            WITH last AS (SELECT request_id, occurred_at, object_id FROM audit_events WHERE \(unescaped: Self.ownRow) ORDER BY id DESC LIMIT 1)
            SELECT (SELECT count(*)::int FROM audit_events e, last WHERE e.request_id = last.request_id),
                   (SELECT count(*)::int FROM outbox_events o, last WHERE o.resource_id = last.object_id
                        AND o.occurred_at = last.occurred_at)
            """
        ).decode((Int, Int).self) { (audit, outbox) = (a, o) }
        return (audit, outbox)
    }
}
