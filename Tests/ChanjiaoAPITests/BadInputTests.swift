import ChanjiaoDomain
import Foundation
import HTTPTypes
import Testing

/// Every class of malformed request gets a 4xx problem document and writes nothing.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let body: String
        let contentType: String
        let status: HTTPResponse.Status
        let fields: [String]
        var description: String { name }
    }

    static let demand = #"{"title":"铝箔轧制工","occupation_code":"6-17-04-01","skills":[{"code":"MET-001","level":3,"weight":2}],"headcount":5,"min_level":"secondary","mode":"employment","region_code":"411202"}"#

    /// The valid demand with more members.
    static func with(_ members: String) -> String { String(demand.dropLast()) + "," + members + "}" }

    static let cases: [Case] = [
        Case(name: "malformed JSON", body: #"{"title": "#, contentType: "application/json", status: .badRequest, fields: []),
        Case(name: "wrong media type", body: demand, contentType: "text/plain", status: .unsupportedMediaType, fields: []),
        Case(name: "not an object", body: "[1,2]", contentType: "application/json", status: .unprocessableContent, fields: ["$"]),
        Case(name: "wrong types", body: demand.replacingOccurrences(of: #""headcount":5"#, with: #""headcount":"five""#).replacingOccurrences(of: #""title":"铝箔轧制工""#, with: #""title":7"#), contentType: "application/json", status: .unprocessableContent, fields: ["headcount", "title"]),
        Case(name: "unknown enum value", body: demand.replacingOccurrences(of: "employment", with: "marriage"), contentType: "application/json", status: .unprocessableContent, fields: ["mode"]),
        Case(name: "missing fields", body: #"{"title":"只有标题"}"#, contentType: "application/json", status: .unprocessableContent, fields: ["headcount", "min_level", "mode", "occupation_code", "region_code"]),
        Case(name: "bad codes", body: demand.replacingOccurrences(of: "6-17-04-01", with: "6-99-99-99").replacingOccurrences(of: "411202", with: "411299").replacingOccurrences(of: "MET-001", with: "MET-999"), contentType: "application/json", status: .unprocessableContent, fields: ["region_code", "occupation_code", "skills[0].code"]),
        Case(name: "badly formed codes", body: demand.replacingOccurrences(of: "6-17-04-01", with: "61704").replacingOccurrences(of: "MET-001", with: "MET"), contentType: "application/json", status: .unprocessableContent, fields: ["occupation_code", "skills[0].code"]),
        Case(name: "too long", body: demand.replacingOccurrences(of: "铝箔轧制工", with: String(repeating: "长", count: 201)), contentType: "application/json", status: .unprocessableContent, fields: ["title"]),
        Case(name: "absurd numbers", body: demand.replacingOccurrences(of: #""headcount":5"#, with: #""headcount":10001"#).replacingOccurrences(of: #""level":3"#, with: #""level":-1"#), contentType: "application/json", status: .unprocessableContent, fields: ["headcount", "skills[0].level"]),
        Case(name: "end before start", body: with(#""starts_on":"2027-09-01","ends_on":"2027-08-31""#), contentType: "application/json", status: .unprocessableContent, fields: ["ends_on"]),
        Case(name: "impossible date", body: with(#""starts_on":"2027-02-30""#), contentType: "application/json", status: .unprocessableContent, fields: ["starts_on"]),
        Case(name: "duplicate skill", body: demand.replacingOccurrences(of: #"[{"code":"MET-001","level":3,"weight":2}]"#, with: #"[{"code":"MET-001","level":3},{"code":"MET-001","level":2}]"#), contentType: "application/json", status: .unprocessableContent, fields: ["skills[1].code"]),
        Case(name: "unknown field", body: with(#""headcont":3"#), contentType: "application/json", status: .unprocessableContent, fields: ["headcont"]),
        Case(name: "unknown id in the body", body: with(#""enterprise_id":"3f1c9a2e-0000-4000-8000-000000000000""#), contentType: "application/json", status: .unprocessableContent, fields: ["enterprise_id"]),
    ]

    @Test(arguments: cases)
    func badDemandIsRejectedAndWritesNothing(_ badCase: Case) async throws {
        try await withAPI { api async throws in
            // The bureau may name any enterprise, so an unknown one reaches the database check.
            let token = badCase.name == "unknown id in the body" ? try await api.admin() : try await api.login("ent-zyyl")
            let before = try await api.count("demands")
            let reply = try await api.send(.post, "/v1/demands", token: token, json: badCase.body, contentType: badCase.contentType)
            #expect(reply.status == badCase.status, "\(reply.text)")
            #expect(reply.headers[.contentType] == "application/problem+json")
            #expect(reply["status"] == .int(Int(badCase.status.code)))
            #expect(Set(reply.errorFields) == Set(badCase.fields), "\(reply.text)")
            #expect(try await api.count("demands") == before)
        }
    }

    @Test func anActionWithoutABodyRefusesOneThatIsBadAndWritesNothing() async throws {
        try await withAPI { api async throws in
            let enterprise = try await api.login("ent-zyyl")
            let college = try await api.login("col-smxzy")
            let (demand, program) = (try await CooperationTests.demand(api, enterprise), try await CooperationTests.program(api, college))
            let id = try await CooperationTests.propose(api, enterprise, demand: demand, program: program, seats: 2).string["id"] ?? ""
            let path = "/v1/cooperations/\(id)/accept"
            for (body, contentType, status, fields) in [
                ("not json", "application/json", HTTPResponse.Status.badRequest, [String]()), (#"{"note":"#, "application/json", .badRequest, []),
                ("<accept/>", "text/xml", .unsupportedMediaType, []), (#"{"seats":3}"#, "application/json", .unprocessableContent, ["seats"]),
                ("[]", "application/json", .badRequest, []),
            ] {
                let reply = try await api.send(.post, path, token: college, json: body, contentType: contentType)
                #expect(reply.status == status && reply.errorFields == fields, "\(body): \(reply.text)")
                #expect(reply.headers[.contentType] == "application/problem+json")
                #expect(try await api.get("/v1/cooperations/\(id)", token: college).string["status"] == "proposed")
            }
            // Nothing at all, or an empty object, is how such an action is sent.
            #expect(try await api.send(.post, path, token: college, json: "{}").status == .ok)
            let archive = try await api.send(.post, "/v1/demands/\(try await CooperationTests.demand(api, enterprise))/archive", token: enterprise)
            #expect(archive.status == .ok, "\(archive.text)")
        }
    }

    @Test func bodiesOverOneMebibyteAreRefused() async throws {
        try await withAPI { api async throws in
            let huge = #"{"title":""# + String(repeating: "a", count: 1_100_000) + #""}"#
            let reply = try await api.send(.post, "/v1/demands", token: try await api.login("ent-zyyl"), json: huge)
            #expect(reply.status == .contentTooLarge)
        }
    }

    @Test func unknownAndMalformedIdsInThePathAre404() async throws {
        try await withAPI { api async throws in
            #expect(try await api.get("/v1/demands/3f1c9a2e-0000-4000-8000-000000000000").status == .notFound)
            #expect(try await api.get("/v1/demands/not-a-uuid").status == .notFound)
            let token = try await api.login("ent-zyyl")
            #expect(try await api.patch("/v1/demands/3f1c9a2e-0000-4000-8000-000000000000", token: token, "{}").status == .notFound)
        }
    }

    @Test func staleAndMalformedIfMatchAreRefused() async throws {
        try await withAPI { api async throws in
            let token = try await api.login("ent-zyyl")
            let id = try await api.post("/v1/demands", token: token, Self.demand).string["id"] ?? ""
            let stale = try await api.patch("/v1/demands/\(id)", token: token, #"{"headcount":6}"#, headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.string["current_version"] == "1")
            let malformed = try await api.patch("/v1/demands/\(id)", token: token, #"{"headcount":6}"#, headers: [.ifMatch: "seven"])
            #expect(malformed.status == .badRequest)
            let invalid = try await api.patch("/v1/demands/\(id)", token: token, #"{"headcount":0,"mode":"x"}"#)
            #expect(Set(invalid.errorFields) == ["headcount", "mode"])
            #expect(try await api.get("/v1/demands/\(id)")["headcount"] == .int(5))
        }
    }
}
