import ChanjiaoDomain

/// The registry's resources and the SQL that decides who sees what of them.
///
/// Every query on a resource binds the caller first: `$1` role (`anonymous` without a
/// credential, `key` for a partner API key), `$2` the caller's organization (or the nil UUID; a
/// key's college), `$3` its county, `$4` its partner source (an account's or a key's). The row
/// alias is `r`. Row visibility and ownership live here, once, for single reads, lists and
/// writes alike; which roles and scopes may call a route at all is the route's policy.
public enum Resource: String, CaseIterable, Sendable {
    case enterprises, colleges, programs, demands, talents

    /// The singular used in messages and change types: `enterprise`, `program`, …
    public var singular: String { String(rawValue.dropLast()) }

    var table: String { rawValue }

    /// Who may see the record at all (others get a 404).
    var visible: String {
        switch self {
        case .enterprises, .colleges:
            "(\(detailed) OR (r.status = 'active' AND r.archived_at IS NULL))"
        case .programs:
            "($1 IN ('bureau', 'viewer') OR r.college_id = $2 OR \(isPublic))"
        case .demands:
            "($1 IN ('bureau', 'viewer') OR r.enterprise_id = $2 OR ($1 = 'county' AND r.region_code = $3) OR \(isPublic))"
        case .talents:
            "(\(detailed) OR $1 = 'viewer' OR ($1 IN ('enterprise', 'college', 'county') AND r.share_with_enterprises))"
        }
    }

    /// Who sees the whole record: contact details, drafts' metadata, unmasked personal data.
    var detailed: String {
        switch self {
        case .enterprises, .colleges:
            Self.organizationDetailed(id: "r.id", regionCode: "r.region_code")
        case .programs, .demands:
            "true"
        case .talents:
            "($1 = 'bureau' OR ($1 IN ('partner', 'key') AND r.source = $4))"
        }
    }

    /// `detailed` of an enterprise or a college whose id and region code are these SQL
    /// expressions (the change feed has them as columns of an outbox row).
    static func organizationDetailed(id: String, regionCode: String) -> String {
        "($1 IN ('bureau', 'viewer') OR \(id) = $2 OR ($1 = 'county' AND \(regionCode) = $3))"
    }

    /// Who may change the record: its owner (an account of the organization, a key bound to
    /// the college or the source) and the bureau.
    var writable: String {
        switch self {
        case .enterprises: "($1 = 'bureau' OR ($1 = 'enterprise' AND r.id = $2))"
        case .colleges: "($1 = 'bureau' OR ($1 = 'college' AND r.id = $2))"
        case .programs: "($1 = 'bureau' OR ($1 IN ('college', 'key') AND r.college_id = $2))"
        case .demands: "($1 = 'bureau' OR ($1 = 'enterprise' AND r.enterprise_id = $2))"
        case .talents: "($1 = 'bureau' OR ($1 IN ('partner', 'key') AND r.source = $4))"
        }
    }

    /// The JSON document as the caller may see it.
    var document: String {
        switch self {
        case .enterprises: "enterprise_doc(r, \(detailed))"
        case .colleges: "college_doc(r, \(detailed))"
        case .programs: "program_doc(r)"
        case .demands: "demand_doc(r)"
        case .talents: "talent_doc(r, NOT \(detailed))"
        }
    }

    /// Whether everyone, signed in or not, sees the record (and sees it alike).
    var isPublic: String {
        switch self {
        case .enterprises, .colleges: "(r.status = 'active' AND r.archived_at IS NULL)"
        case .programs: "(r.status = 'published' AND r.owner_active)"
        case .demands: "(r.status = 'open' AND r.archived_at IS NULL AND r.owner_active)"
        case .talents: "false"
        }
    }

    /// Whether the record is archived (archived records leave the default lists).
    var archived: String? {
        switch self {
        case .enterprises, .colleges, .demands: "r.archived_at IS NOT NULL"
        case .programs: "r.status = 'archived'"
        case .talents: nil
        }
    }

    /// The column `q` searches, with its gram index column.
    var searchColumn: (text: String, grams: String)? {
        switch self {
        case .enterprises, .colleges: ("r.name", "r.name_grams")
        case .programs, .demands: ("r.title", "r.title_grams")
        case .talents: nil
        }
    }

    /// Query parameters that filter a list, and how.
    var filters: [ListFilter] {
        switch self {
        case .enterprises:
            [.region("region_code", "r.region_code"), .oneOf("status", "r.status", OrganizationStatus.self),
             .oneOf("size", "r.size", EnterpriseSize.self), .prefix("industry_code", "r.industry_code", .maxLength(5))]
        case .colleges:
            [.region("region_code", "r.region_code"), .oneOf("status", "r.status", OrganizationStatus.self),
             .oneOf("kind", "r.kind", CollegeKind.self)]
        case .programs:
            [.region("region_code", "r.region_code"), .oneOf("status", "r.status", ProgramStatus.self),
             .uuid("college_id", "r.college_id"), .exact("specialty_code", "r.specialty_code", .sixDigits),
             .oneOf("level", "r.level", EducationLevel.self),
             .arrayContains("mode", "r.modes", CooperationMode.self)]
        case .demands:
            [.region("region_code", "r.region_code"), .oneOf("status", "r.status", DemandStatus.self),
             .uuid("enterprise_id", "r.enterprise_id"), .prefix("occupation_code", "r.occupation_code", .maxLength(10)),
             .oneOf("mode", "r.mode", CooperationMode.self),
             .oneOf("min_level", "r.min_level", EducationLevel.self)]
        case .talents:
            [.exact("source", "r.source", .sourceName), .exact("specialty_code", "r.specialty_code", .sixDigits),
             .oneOf("education_level", "r.education_level", EducationLevel.self),
             .regionAny("region_code", "r.region_codes")]
        }
    }
}
