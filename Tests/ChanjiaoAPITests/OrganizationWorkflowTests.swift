import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// Registration, verification, rejection, suspension: what each status lets an organization do.
@Suite struct OrganizationWorkflowTests {
    static let registration = #"{"kind":"enterprise","organization":{"name":"新申请企业","uscc":"91350200MA2YJ1XR9G","region_code":"411202","size":"small"},"account":{"username":"ent-new","password":"a-long-enough-secret"}}"#

    @Test func aRejectedOrganizationSeesTheReasonCorrectsItselfAndResubmits() async throws {
        try await withAPI { api async throws in
            let registered = try await api.post("/v1/registrations", Self.registration)
            #expect(registered.status == .created, "\(registered.text)")
            guard case .object(let organization)? = registered["organization"], case .string(let id)? = organization["id"] else { return }
            let own = try await api.login("ent-new", "a-long-enough-secret")
            let admin = try await api.admin()
            // Pending: it cannot publish, but it can edit its record.
            #expect(try await api.post("/v1/demands", token: own, demandBody).status == .conflict)
            #expect(try await api.send(.post, "/v1/enterprises/\(id)/resubmit", token: own).status == .conflict)
            let rejected = try await api.post("/v1/enterprises/\(id)/reject", token: admin, #"{"reason":"营业执照照片不清晰"}"#)
            #expect(rejected.status == .ok)
            #expect(rejected.string["status"] == "rejected")
            let me = try await api.get("/v1/me", token: own)
            guard case .object(let mine)? = me["organization"] else {
                Issue.record("no organization in /v1/me: \(me.text)")
                return
            }
            #expect(mine["status"] == .string("rejected"))
            #expect(mine["status_reason"] == .string("营业执照照片不清晰"))
            // Never verified: it may correct even its identity fields.
            #expect(try await api.patch("/v1/enterprises/\(id)", token: own, #"{"name":"新申请企业有限公司"}"#).status == .ok)
            #expect(try await api.post("/v1/demands", token: own, demandBody).status == .conflict)
            #expect(try await api.send(.post, "/v1/enterprises/\(id)/resubmit", token: admin).status == .forbidden)
            let resubmitted = try await api.send(.post, "/v1/enterprises/\(id)/resubmit", token: own)
            #expect(resubmitted.string["status"] == "pending")
            let verified = try await api.send(.post, "/v1/enterprises/\(id)/verify", token: admin)
            #expect(verified.string["status"] == "active")
            #expect(verified["verified_at"] != .null)
            #expect(try await api.post("/v1/demands", token: own, demandBody).status == .created)
            // Verified: the identity fields are the bureau's now, named in the 403.
            let renamed = try await api.patch("/v1/enterprises/\(id)", token: own, #"{"name":"又改名","region_code":"411203","address":"新址"}"#)
            #expect(renamed.status == .forbidden)
            #expect(Set(renamed.errorFields) == ["name", "region_code"])
            #expect(try await api.patch("/v1/enterprises/\(id)", token: own, #"{"name":"新申请企业有限公司","address":"新址"}"#).status == .ok)
            #expect(try await api.patch("/v1/enterprises/\(id)", token: admin, #"{"name":"又改名"}"#).status == .ok)
            #expect(try await api.post("/v1/enterprises/\(id)/reject", token: admin, #"{"reason":"x"}"#).status == .conflict)
        }
    }

    @Test func aSuspendedOrganizationReadsButDoesNotWriteAndLeavesPublicListsAndMatching() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let college = try await api.login("col-smxzy")
            let collegeID = try await api.id("colleges", where: "name", is: "三门峡职业技术学院")
            let program = try await api.anyOwned("programs", "college_id", collegeID)
            let publicBefore = try await api.get("/v1/programs?college_id=\(collegeID)&limit=200").items.count
            #expect(publicBefore > 0)
            let demand = try await api.anyOwned("demands", "status", "open")
            let suspended = try await api.post("/v1/colleges/\(collegeID)/suspend", token: admin, #"{"reason":"停业整顿"}"#)
            #expect(suspended.string["status"] == "suspended")
            // Each of its programs left the public view: an outbox row apiece says so.
            let programs = try await api.count("programs WHERE college_id = '\(collegeID)'")
            #expect(try await api.count(
                "outbox_events WHERE type = 'program.updated' AND NOT is_public AND organization_id = '\(collegeID)'") == programs)
            // Read-only, at once (the session cache was told).
            #expect(try await api.get("/v1/me", token: college).status == .ok)
            #expect(try await api.get("/v1/programs/\(program)", token: college).status == .ok)
            let blocked = try await api.patch("/v1/programs/\(program)", token: college, #"{"capacity":12}"#)
            #expect(blocked.status == .forbidden)
            #expect(try await api.post("/v1/programs", token: college, programBody).status == .forbidden)
            // Out of the public directory and of recommendations.
            #expect(try await api.get("/v1/programs?college_id=\(collegeID)&limit=200").items.isEmpty)
            #expect(try await api.get("/v1/programs/\(program)").status == .notFound)
            #expect(try await api.get("/v1/programs/\(program)", token: admin).status == .ok)
            try await eventually {
                let matches = try await api.get("/v1/demands/\(demand)/matches?limit=200", token: admin)
                return !matches.text.contains(collegeID)
            }
            let reinstated = try await api.send(.post, "/v1/colleges/\(collegeID)/reinstate", token: admin)
            #expect(reinstated.string["status"] == "active")
            #expect(try await api.get("/v1/programs?college_id=\(collegeID)&limit=200").items.count == publicBefore)
            #expect(try await api.patch("/v1/programs/\(program)", token: college, #"{"capacity":12}"#).status == .ok)
        }
    }

    @Test func anArchivedOrganizationTakesItsRecordsOutOfTheDirectoryAndMatching() async throws {
        try await withAPI { api async throws in
            let admin = try await api.admin()
            let enterpriseID = try await api.id("enterprises", where: "name", is: "中原冶炼厂")
            let listed = try await api.get("/v1/demands?enterprise_id=\(enterpriseID)&limit=200").items.compactMap { item in
                if case .string(let id)? = item["id"] { id } else { nil }
            }
            #expect(!listed.isEmpty)
            // One of its demands and a program it is recommended to (once the index has loaded).
            var pair: (demand: String, program: String)?
            try await eventually {
                for id in listed {
                    let best = try await api.get("/v1/demands/\(id)/matches?kind=programs&limit=1", token: admin).items.first
                    if case .string(let program)? = best?["program"]?["id"] { pair = (id, program) }
                }
                return pair != nil
            }
            guard let (demand, program) = pair else { throw TestSetupError("no demand of the enterprise has a match") }
            try await eventually { try await api.get("/v1/programs/\(program)/matches?limit=200", token: admin).text.contains(demand) }
            #expect(try await api.send(.post, "/v1/enterprises/\(enterpriseID)/archive", token: admin).status == .ok)
            // Its demand left the public view with it: an outbox row apiece says so.
            let demands = try await api.count("demands WHERE enterprise_id = '\(enterpriseID)'")
            #expect(try await api.count(
                "outbox_events WHERE type = 'demand.updated' AND NOT is_public AND organization_id = '\(enterpriseID)'") == demands)
            #expect(try await api.get("/v1/enterprises/\(enterpriseID)").status == .notFound)
            #expect(try await api.get("/v1/demands?enterprise_id=\(enterpriseID)&limit=200").items.isEmpty)
            #expect(try await api.get("/v1/demands/\(demand)").status == .notFound)
            #expect(try await api.get("/v1/demands/\(demand)", token: admin).status == .ok)
            try await eventually { !(try await api.get("/v1/programs/\(program)/matches?limit=200", token: admin).text.contains(demand)) }
            // Match runs take only demands whose owner is active: none of its demands is.
            #expect(try await api.count("demands WHERE enterprise_id = '\(enterpriseID)' AND owner_active") == 0)
        }
    }

    @Test func organizationsAreRegisteredAtCountyLevel() async throws {
        try await withAPI { api async throws in
            let city = Self.registration.replacingOccurrences(of: "411202", with: "411200")
            let reply = try await api.post("/v1/registrations", city)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.errorFields == ["organization.region_code"])
            let college = try await api.post("/v1/colleges", token: try await api.admin(), #"{"name":"省属学院","kind":"higher_vocational","region_code":"410000"}"#)
            #expect(college.errorFields == ["region_code"])
        }
    }
}

/// Polls `condition` for up to 5 s (index refreshes arrive in batches).
func eventually(_ condition: () async throws -> Bool) async throws {
    for _ in 0..<50 {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("condition not met within 5 s")
}
