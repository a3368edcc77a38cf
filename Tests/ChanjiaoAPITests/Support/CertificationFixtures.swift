import ChanjiaoDomain
import Foundation
import HTTPTypes

/// Applications brought along the workflow through the API, for the tests that need one in a
/// given state (and the certification and reward an approval makes).
struct CertificationFixtures {
    let api: TestAPI
    /// The applying enterprise's account.
    let enterprise: String
    /// A county officer of the enterprise's county, or nil to let the bureau act for it.
    let county: String?
    let bureau: String

    /// Materials `submit` accepts.
    static func materials(citing cooperations: [String] = []) -> String {
        let cited = cooperations.isEmpty ? "" : #","cooperation_ids":[\#(cooperations.map { "\"\($0)\"" }.joined(separator: ","))]"#
        return #"{"summary":"校企共建冶金技术专业，订单班三届","cooperation_years":3,"cooperation_forms":["order_class","curriculum"],"investment_fen":120000000,"trainees_per_year":80,"contact":{"name":"武浩健","phone":"15000003456"},"credit_clean":true,"no_major_incidents":true\#(cited)}"#
    }

    static func body(level: String = "provincial", year: Int, materials: String = materials()) -> String {
        #"{"level":"\#(level)","year":\#(year),"materials":\#(materials)}"#
    }

    /// The workflow's way to each state, with who takes each step.
    static let path: [(state: String, action: String, body: String)] = [
        ("submitted", "submit", #"{"action":"submit"}"#),
        ("county_approved", "county_approve", #"{"action":"county_approve","note":"材料齐全"}"#),
        ("recommended", "recommend", #"{"action":"recommend"}"#),
    ]

    static func decision(_ day: String, outcome: String = "approved", documentNo: String = "豫发改社会〔2026〕12号") -> String {
        #"{"action":"record_decision","decision":{"outcome":"\#(outcome)","decided_on":"\#(day)","document_no":"\#(documentNo)"}}"#
    }

    /// A new application of the enterprise, moved to `state` (draft, submitted,
    /// county_approved, recommended or approved — decided on `decidedOn`).
    func application(year: Int, level: String = "provincial", state: String = "draft", decidedOn: String? = nil, materials: String = materials())
        async throws -> String
    {
        let created = try await api.send(.post, "/v1/applications", token: enterprise, json: Self.body(level: level, year: year, materials: materials))
        guard created.status == .created, let id = created.string["id"] else {
            throw TestSetupError("application: \(created.status) \(created.text)")
        }
        if state == "draft" { return id }
        for step in Self.path {
            let token = step.action == "submit" ? enterprise : step.action == "county_approve" ? (county ?? bureau) : bureau
            try await move(id, step.body, token: token)
            if step.state == state { return id }
        }
        guard state == "approved" || state == "rejected" else { throw TestSetupError("no application state \(state)") }
        try await move(id, Self.decision(decidedOn ?? Self.today, outcome: state), token: bureau)
        return id
    }

    func move(_ id: String, _ body: String, token: String) async throws {
        let reply = try await api.send(.post, "/v1/applications/\(id)/transitions", token: token, json: body)
        guard reply.status == .ok else { throw TestSetupError("transition \(body): \(reply.status) \(reply.text)") }
    }

    /// An approved application's certification and reward ids.
    func certified(year: Int, level: String = "provincial", decidedOn: String? = nil) async throws -> (application: String, certification: String, reward: String) {
        let id = try await application(year: year, level: level, state: "approved", decidedOn: decidedOn)
        let document = try await api.send(.get, "/v1/applications/\(id)", token: bureau)
        guard let certification = document.string["certification_id"] else { throw TestSetupError("no certification: \(document.text)") }
        let rewards = try await api.send(.get, "/v1/rewards?enterprise_id=\(document.string["enterprise_id"] ?? "")&limit=200", token: bureau)
        let reward = rewards.items.first { $0["certification_id"] == .string(certification) }
        guard case .string(let rewardID)? = reward?["id"] else { throw TestSetupError("no reward: \(rewards.text)") }
        return (id, certification, rewardID)
    }

    /// Today in China, the latest day a decision may be dated (services under test run on the system clock).
    static var today: String { ChinaDay(Date()).description }

    /// A small but real PDF.
    static let pdf: [UInt8] = Array("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".utf8)
}
