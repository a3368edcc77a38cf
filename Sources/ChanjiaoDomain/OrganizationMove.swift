/// The organization workflow as data: each move, the status it starts from and the one it
/// leads to. Who may make it is the route's policy (the bureau, or the organization itself to
/// resubmit); ownership is the SQL's `writable`.
public enum OrganizationMove: String, CaseIterable, Sendable {
    case verify, reject, suspend, reinstate, resubmit

    public var from: OrganizationStatus {
        switch self {
        case .verify, .reject: .pending
        case .suspend: .active
        case .reinstate: .suspended
        case .resubmit: .rejected
        }
    }

    public var to: OrganizationStatus {
        switch self {
        case .verify, .reinstate: .active
        case .reject: .rejected
        case .suspend: .suspended
        case .resubmit: .pending
        }
    }

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
    public var needsReason: Bool { self == .reject || self == .suspend }
}
