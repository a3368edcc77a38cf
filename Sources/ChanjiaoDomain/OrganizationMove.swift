/// Who moves an organization: the bureau, or the organization itself (its own accounts).
public enum OrganizationParty: String, Sendable {
    case organization
    case bureau
}

extension Workflow where State == OrganizationStatus, Party == OrganizationParty {
    /// Registration, verification and suspension of enterprises and colleges.
    public static let organizations = Workflow([
        Step("verify", by: [.bureau], from: [.pending], to: [.active]),
        Step("reject", by: [.bureau], from: [.pending], to: [.rejected], needsNote: true),
        Step("suspend", by: [.bureau], from: [.active], to: [.suspended], needsNote: true),
        Step("reinstate", by: [.bureau], from: [.suspended], to: [.active]),
        Step("resubmit", by: [.organization], from: [.rejected], to: [.pending]),
    ])
}

/// The moves of `Workflow.organizations`, by name (each is a route); what each may do is the
/// table's. Ownership of the record is the SQL's `writable`.
public enum OrganizationMove: String, CaseIterable, Sendable {
    case verify, reject, suspend, reinstate, resubmit

    public var step: Workflow<OrganizationStatus, OrganizationParty>.Step { Workflow.organizations.step(rawValue)! }

    /// The status the move starts from (each move has one) and the one it leads to.
    public var from: OrganizationStatus { step.from.first! }
    public var to: OrganizationStatus { step.to[0] }

    /// The audit action and the feed's event: `enterprise.verified`, `college.suspended`, …
    public var event: String {
        switch self {
        case .verify: "verified"
        case .reject: "rejected"
        case .suspend: "suspended"
        case .reinstate: "reinstated"
        case .resubmit: "resubmitted"
        }
    }

    /// Whether the move takes a `{reason}` body.
    public var needsReason: Bool { step.needsNote }
}
