import Foundation

/// A workflow as data: `(action, who, from, to)` rows that the code consults and the docs
/// print — not switch statements scattered across routes.
public struct Workflow<State: RawRepresentable & Hashable & Sendable, Party: Hashable & Sendable>: Sendable
where State.RawValue == String {
    public struct Step: Sendable {
        public var action: String
        /// Who may take the step.
        public var by: Set<Party>
        public var from: Set<State>
        /// Where it leads; more than one when the step's input decides (a decision's outcome).
        public var to: [State]
        public var needsNote: Bool

        public init(_ action: String, by: Set<Party>, from: Set<State>, to: [State], needsNote: Bool = false) {
            self.action = action
            self.by = by
            self.from = from
            self.to = to
            self.needsNote = needsNote
        }
    }

    /// Why a step cannot be taken: no such action, not this party's, or not from this state.
    public enum Refusal: Error, Equatable, Sendable {
        case unknownAction
        case notAllowed
        case wrongState
    }

    public let steps: [Step]

    public init(_ steps: [Step]) { self.steps = steps }

    public var actions: [String] { steps.map(\.action) }

    public func step(_ action: String) -> Step? { steps.first { $0.action == action } }

    /// The step `party` may take by `action` from `state`, or why not.
    public func check(_ action: String, by parties: Set<Party>, from state: State) -> Result<Step, Refusal> {
        guard let step = step(action) else { return .failure(.unknownAction) }
        guard !step.by.isDisjoint(with: parties) else { return .failure(.notAllowed) }
        guard step.from.contains(state) else { return .failure(.wrongState) }
        return .success(step)
    }

    /// The step, or the problem every workflow answers the same way: `unknown` for an action
    /// it does not have, 403 naming who may take the step (or `notAllowed`), 409 naming the
    /// states it starts from. `object` names the record in messages (`application`, …).
    public func require(
        _ action: String, by parties: Set<Party>, from state: State, object: String, unknown: Problem, notAllowed: String? = nil
    ) throws(Problem) -> Step where Party: RawRepresentable, Party.RawValue == String {
        switch check(action, by: parties, from: state) {
        case .success(let step):
            return step
        case .failure(.unknownAction):
            throw unknown
        case .failure(.notAllowed):
            let who = step(action)?.by.map(\.rawValue).sorted().joined(separator: " or ") ?? ""
            throw Problem.forbidden(notAllowed ?? "only \(who) may \(action) this \(object)")
        case .failure(.wrongState):
            let from = step(action)?.from.map(\.rawValue).sorted().joined(separator: " or ") ?? ""
            throw Problem.conflict("cannot \(action) a \(state.rawValue) \(object) (only a \(from) one)")
        }
    }
}

/// 产教融合型企业 applications (DOMAIN.md §Certification applications).
public enum ApplicationStatus: String, CaseIterable, Sendable {
    case draft, submitted, countyApproved = "county_approved", returned, recommended, approved, rejected, withdrawn

    /// Open applications count against "one per enterprise, level and year".
    public var isOpen: Bool { ![.withdrawn, .rejected, .approved].contains(self) }
}

public enum ApplicationParty: String, Sendable {
    /// The applying enterprise's own accounts.
    case enterprise
    /// A county officer of the enterprise's county.
    case county
    case bureau
}

extension ApplicationParty {
    /// Who `caller` is to an application of `enterprise`, registered in `regionCode`: the
    /// enterprise's own account, a county officer of that county, the bureau (or none).
    public static func parties(of caller: Caller, enterprise: UUID, regionCode: String) -> Set<ApplicationParty> {
        var parties: Set<ApplicationParty> = []
        if caller.role == .enterprise, caller.organizationID == enterprise { parties.insert(.enterprise) }
        if caller.role == .county, caller.regionCode == regionCode { parties.insert(.county) }
        if caller.role == .bureau { parties.insert(.bureau) }
        return parties
    }
}

extension Workflow where State == ApplicationStatus, Party == ApplicationParty {
    public static let applications = Workflow([
        Step("submit", by: [.enterprise], from: [.draft, .returned], to: [.submitted]),
        Step("withdraw", by: [.enterprise], from: [.draft, .submitted, .returned], to: [.withdrawn]),
        Step("county_approve", by: [.county, .bureau], from: [.submitted], to: [.countyApproved]),
        Step("return", by: [.county, .bureau], from: [.submitted, .countyApproved], to: [.returned], needsNote: true),
        Step("recommend", by: [.bureau], from: [.countyApproved], to: [.recommended]),
        Step("record_decision", by: [.bureau], from: [.recommended], to: [.approved, .rejected]),
    ])
}

/// Cooperations between a demand and a program (DOMAIN.md §Cooperation).
public enum CooperationStatus: String, CaseIterable, Sendable {
    case proposed, accepted, declined, withdrawn, completed, terminated

    /// Seats of these count against the program's capacity and the demand's headcount.
    public var holdsSeats: Bool { self == .accepted || self == .completed }
}

/// Who a caller is to one cooperation; a caller may be more than one (the bureau is none).
public enum CooperationParty: String, Sendable {
    case proposer
    case otherSide = "other_side"
    /// The program's college.
    case college
}

extension Workflow where State == CooperationStatus, Party == CooperationParty {
    public static let cooperations = Workflow([
        Step("accept", by: [.otherSide], from: [.proposed], to: [.accepted]),
        Step("decline", by: [.otherSide], from: [.proposed], to: [.declined]),
        Step("withdraw", by: [.proposer], from: [.proposed], to: [.withdrawn]),
        Step("complete", by: [.college], from: [.accepted], to: [.completed]),
        Step("terminate", by: [.proposer, .otherSide], from: [.accepted], to: [.terminated], needsNote: true),
    ])
}
