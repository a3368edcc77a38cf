/// The closed sets of values the API accepts. Raw values are the wire format.

/// Education or program level; `rank` orders them for the matching hard filter.
public enum EducationLevel: String, Codable, CaseIterable, Sendable {
    case shortTerm = "short_term"
    case secondary
    case associate
    case bachelor

    public var rank: Int {
        switch self {
        case .shortTerm: 0
        case .secondary: 1
        case .associate: 2
        case .bachelor: 3
        }
    }
}

/// How an enterprise and a college cooperate (订单班, 现代学徒制, …).
public enum CooperationMode: String, Codable, CaseIterable, Sendable {
    case orderClass = "order_class"
    case apprenticeship
    case internship
    case employment
    case trainingBase = "training_base"
}

public enum EnterpriseSize: String, Codable, CaseIterable, Sendable {
    case large, medium, small, micro
}

public enum CollegeKind: String, Codable, CaseIterable, Sendable {
    case secondaryVocational = "secondary_vocational"
    case higherVocational = "higher_vocational"
    case vocationalUndergraduate = "vocational_undergraduate"
    case technicianCollege = "technician_college"
    case trainingCenter = "training_center"
}

/// Enterprises and colleges: only `active` organizations publish. `pending` → `active`
/// (verify) or `rejected` (reject); `rejected` → `pending` (resubmit); `active` ⇄ `suspended`.
public enum OrganizationStatus: String, Codable, CaseIterable, Sendable {
    case pending, active, suspended, rejected
}

public enum ProgramStatus: String, Codable, CaseIterable, Sendable {
    case draft, published, archived
}

public enum DemandStatus: String, Codable, CaseIterable, Sendable {
    case open, closed
}

/// `viewer`: the other city offices (发改委, 人社局), who read what the bureau reads and write nothing.
public enum Role: String, Codable, CaseIterable, Sendable {
    case enterprise, college, county, bureau, viewer, partner
}

/// What a partner API key may do; a key does nothing else.
public enum Scope: String, Codable, CaseIterable, Sendable {
    case feedRead = "feed:read"
    case talentsWrite = "talents:write"
    case programsWrite = "programs:write"
    case webhooksManage = "webhooks:manage"
    case exportsRead = "exports:read"
}
