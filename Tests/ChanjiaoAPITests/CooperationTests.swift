import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// Cooperations: proposed by either side, moved by the right party only, and never holding more
/// seats than a program has or more headcount than a demand needs, however many accepts race.
@Suite struct CooperationTests {
    /// A demand of ent-zyyl in the program body's mode (internship).
    static func demand(_ api: TestAPI, _ token: String, headcount: Int = 5) async throws -> String {
        let body = demandBody.replacingOccurrences(of: "\"employment\"", with: "\"internship\"")
            .replacingOccurrences(of: "\"headcount\":5", with: "\"headcount\":\(headcount)")
        let reply = try await api.post("/v1/demands", token: token, body)
        guard reply.status == .created, let id = reply.string["id"] else { throw TestSetupError("demand: \(reply.text)") }
        return id
    }

    static func program(_ api: TestAPI, _ token: String, capacity: Int = 40) async throws -> String {
        let reply = try await api.post("/v1/programs", token: token, programBody.replacingOccurrences(of: "\"capacity\":40", with: "\"capacity\":\(capacity)"))
        guard reply.status == .created, let id = reply.string["id"] else { throw TestSetupError("program: \(reply.text)") }
        return id
    }

    static func propose(_ api: TestAPI, _ token: String, demand: String, program: String, seats: Int, mode: String = "internship") async throws -> Reply {
        try await api.post("/v1/cooperations", token: token, #"{"demand_id":"\#(demand)","program_id":"\#(program)","mode":"\#(mode)","seats":\#(seats),"note":"订单班"}"#)
    }

    @Test func eitherSideProposesTheOtherAcceptsAndTheCollegeCompletes() async throws {
        try await withAPI { api async throws in
            let enterprise = try await api.login("ent-zyyl")
            let college = try await api.login("col-smxzy")
            let demand = try await Self.demand(api, enterprise)
            let program = try await Self.program(api, college)
            #expect(try await Self.propose(api, enterprise, demand: demand, program: program, seats: 3, mode: "order_class").errorFields == ["mode"])
            #expect(try await Self.propose(api, enterprise, demand: demand, program: program, seats: 6).errorFields == ["seats"])
            #expect(try await Self.propose(api, try await api.login("ent-lbhj"), demand: demand, program: program, seats: 3).status == .forbidden)
            #expect(try await Self.propose(api, try await api.admin(), demand: demand, program: program, seats: 3).status == .forbidden)
            let proposed = try await Self.propose(api, enterprise, demand: demand, program: program, seats: 3)
            #expect(proposed.status == .created, "\(proposed.text)")
            #expect(proposed.string["proposed_by"] == "enterprise" && proposed.string["status"] == "proposed")
            let id = proposed.string["id"] ?? ""
            #expect(try await api.send(.post, "/v1/cooperations/\(id)/accept", token: enterprise).status == .forbidden)
            let accepted = try await api.send(.post, "/v1/cooperations/\(id)/accept", token: college, headers: [.ifMatch: "\"1\""])
            #expect(accepted.string["status"] == "accepted")
            #expect(try await api.send(.post, "/v1/cooperations/\(id)/accept", token: college).status == .conflict)
            #expect(try await api.get("/v1/programs/\(program)").body["remaining_seats"] == .int(37))
            #expect(try await api.get("/v1/demands/\(demand)").body["remaining_headcount"] == .int(2))
            // Capacity cannot drop below what is held.
            #expect(try await api.patch("/v1/programs/\(program)", token: college, #"{"capacity":2}"#).errorFields == ["capacity"])
            #expect(try await api.post("/v1/cooperations/\(id)/complete", token: enterprise, #"{"completed_on":"2027-07-01","trainees":3}"#).status == .forbidden)
            let completed = try await api.post("/v1/cooperations/\(id)/complete", token: college, #"{"completed_on":"2027-07-01","trainees":3}"#)
            #expect(completed.string["status"] == "completed" && completed.string["completed_on"] == "2027-07-01")
            #expect(try await api.get("/v1/programs/\(program)").body["remaining_seats"] == .int(37))
            // Who sees it: both sides, the county, the bureau; not another county or enterprise.
            #expect(try await api.get("/v1/cooperations/\(id)", token: try await api.login("county-411202")).status == .ok)
            #expect(try await api.get("/v1/cooperations/\(id)", token: try await api.login("county-411282")).status == .notFound)
            #expect(try await api.get("/v1/cooperations/\(id)", token: try await api.login("ent-lbhj")).status == .notFound)
            #expect(try await api.get("/v1/cooperations?status=completed", token: enterprise).items.count == 1)
            #expect(try await api.get("/v1/cooperations?status=done", token: enterprise).errorFields == ["status"])

            // The college proposes; the enterprise declines, or terminates after accepting.
            let second = try await Self.propose(api, college, demand: demand, program: program, seats: 2)
            #expect(second.string["proposed_by"] == "college")
            let secondID = second.string["id"] ?? ""
            #expect(try await api.send(.post, "/v1/cooperations/\(secondID)/accept", token: enterprise).status == .ok)
            #expect(try await api.get("/v1/demands/\(demand)").body["remaining_headcount"] == .int(0))
            #expect(try await api.post("/v1/cooperations/\(secondID)/terminate", token: college, "{}").errorFields == ["note"])
            #expect(try await api.post("/v1/cooperations/\(secondID)/terminate", token: college, #"{"note":"企业停产"}"#).string["status"] == "terminated")
            #expect(try await api.get("/v1/demands/\(demand)").body["remaining_headcount"] == .int(2))
            let third = try await Self.propose(api, college, demand: demand, program: program, seats: 1)
            #expect(try await api.send(.post, "/v1/cooperations/\(third.string["id"] ?? "")/withdraw", token: enterprise).status == .forbidden)
            #expect(try await api.send(.post, "/v1/cooperations/\(third.string["id"] ?? "")/withdraw", token: college).string["status"] == "withdrawn")
            #expect(try await api.count("outbox_events WHERE type = 'cooperation.accepted' AND data->>'program_id' = '\(program)'") == 2)
            #expect(try await api.count("outbox_events WHERE type = 'program.updated' AND resource_id = '\(program)'") >= 2)
        }
    }

    @Test func fiftyConcurrentAcceptsNeverOverfillAProgram() async throws {
        try await withAPI { api async throws in
            let enterprise = try await api.login("ent-zyyl")
            let college = try await api.login("col-smxzy")
            let program = try await Self.program(api, college, capacity: 10)
            var cooperations: [String] = []
            for _ in 0..<50 {
                let demand = try await Self.demand(api, enterprise, headcount: 1)
                cooperations.append(try await Self.propose(api, college, demand: demand, program: program, seats: 1).string["id"] ?? "")
            }
            let statuses = try await Self.acceptAll(api, cooperations, token: enterprise)
            #expect(statuses.filter { $0 == .ok }.count == 10, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 40)
            #expect(try await api.get("/v1/programs/\(program)").body["remaining_seats"] == .int(0))
            #expect(try await api.count("cooperations WHERE program_id = '\(program)' AND status = 'accepted'") == 10)
        }
    }

    /// Ten identical accepts at once: with one Idempotency-Key all get the first answer, without
    /// one the first wins and the rest find it accepted; either way the seats are taken once.
    @Test func tenIdenticalAcceptsTakeTheSeatsOnce() async throws {
        try await withAPI { api async throws in
            let enterprise = try await api.login("ent-zyyl")
            let college = try await api.login("col-smxzy")
            let program = try await Self.program(api, college, capacity: 40)
            for withKey in [false, true] {
                let demand = try await Self.demand(api, enterprise, headcount: 5)
                let id = try await Self.propose(api, enterprise, demand: demand, program: program, seats: 3).string["id"] ?? ""
                let statuses = try await withThrowingTaskGroup(of: UInt16.self) { group in
                    for _ in 0..<10 {
                        group.addTask {
                            UInt16(
                                try await api.send(
                                    .post, "/v1/cooperations/\(id)/accept", token: college,
                                    headers: withKey ? [HTTPField.Name("Idempotency-Key")!: "accept-\(id)"] : [:]
                                ).status.code)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 200 }.count == (withKey ? 10 : 1), "\(statuses)")
                #expect(try await api.get("/v1/demands/\(demand)").body["remaining_headcount"] == .int(2))
                #expect(try await api.count("outbox_events WHERE type = 'cooperation.accepted' AND resource_id = '\(id)'") == 1)
            }
            #expect(try await api.get("/v1/programs/\(program)").body["remaining_seats"] == .int(34))
        }
    }

    @Test func fiftyConcurrentAcceptsNeverOverfillADemand() async throws {
        try await withAPI { api async throws in
            let enterprise = try await api.login("ent-zyyl")
            let college = try await api.login("col-smxzy")
            let demand = try await Self.demand(api, enterprise, headcount: 10)
            var cooperations: [String] = []
            for _ in 0..<50 {
                let program = try await Self.program(api, college, capacity: 1)
                cooperations.append(try await Self.propose(api, enterprise, demand: demand, program: program, seats: 1).string["id"] ?? "")
            }
            let statuses = try await Self.acceptAll(api, cooperations, token: college)
            #expect(statuses.filter { $0 == .ok }.count == 10, "\(statuses)")
            #expect(try await api.get("/v1/demands/\(demand)").body["remaining_headcount"] == .int(0))
            #expect(try await api.count("cooperations WHERE demand_id = '\(demand)' AND status = 'accepted'") == 10)
        }
    }

    static func acceptAll(_ api: TestAPI, _ ids: [String], token: String) async throws -> [HTTPResponse.Status] {
        try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
            for id in ids {
                group.addTask { try await api.send(.post, "/v1/cooperations/\(id)/accept", token: token).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func aFullProgramLeavesRecommendationsWithinTwoSeconds() async throws {
        try await withAPI { api async throws in
            let enterprise = try await api.login("ent-zyyl")
            let college = try await api.login("col-smxzy")
            let program = try await Self.program(api, college, capacity: 4)
            let demand = try await Self.demand(api, enterprise, headcount: 4)
            let watcher = try await Self.demand(api, enterprise, headcount: 4)
            try await eventually {
                try await api.get("/v1/demands/\(watcher)/matches?limit=200", token: enterprise).text.contains(program)
            }
            let id = try await Self.propose(api, enterprise, demand: demand, program: program, seats: 4).string["id"] ?? ""
            #expect(try await api.send(.post, "/v1/cooperations/\(id)/accept", token: college).status == .ok)
            let start = ContinuousClock.now
            try await eventually {
                !(try await api.get("/v1/demands/\(watcher)/matches?limit=200", token: enterprise).text.contains(program))
            }
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }
}
