import Foundation

/// A college's program (专业/培训项目) as a client writes it.
public struct ProgramInput: RegistryInput, Equatable {
    /// Required from the bureau; a college account writes its own programs and may omit it.
    public var collegeID: UUID?
    public var title: String
    public var specialtyCode: String
    public var level: EducationLevel
    public var skills: [WeightedSkill]
    public var capacity: Int
    public var modes: [CooperationMode]
    public var regionCode: String
    public var startsOn: String?
    public var endsOn: String?
    /// The owner's own key for the record (unique per owner): what bulk imports match on.
    public var externalID: String?
    public var status: ProgramStatus

    public static let writable: Set<String> = [
        "college_id", "external_id", "title", "specialty_code", "level", "skills", "capacity", "modes", "region_code",
        "starts_on", "ends_on", "status",
    ]
    public static let readOnly: Set<String> = ["id", "remaining_seats", "version", "created_at", "updated_at"]
    public static let immutable: Set<String> = ["college_id"]

    public static func read(_ json: JSONValue) throws(Problem) -> ProgramInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: writable, readOnly: readOnly)
        let collegeID = reader.uuid("college_id", required: false)
        let externalID = reader.string("external_id", required: false, maxLength: 100)
        let title = reader.string("title")
        let specialty = reader.string("specialty_code", maxLength: 6)
        if let specialty, !TaxonomyCode.isSpecialty(specialty) {
            log.add("specialty_code", "must be a 6-digit specialty code of the 2021 catalog")
        }
        let level = reader.enumValue("level", EducationLevel.self)
        let skills = reader.skills("skills", weighted: false)
        let capacity = reader.int("capacity", range: 0...10_000)
        let modes = reader.stringArray("modes", maxCount: 5) { mode in
            CooperationMode(rawValue: mode) == nil
                ? "must be one of: " + CooperationMode.allCases.map(\.rawValue).joined(separator: ", ") : nil
        }
        if let modes, modes.isEmpty { log.add("modes", "must name at least one cooperation mode") }
        let region = reader.regionCode("region_code")
        let (startsOn, endsOn) = reader.period(from: "starts_on", to: "ends_on")
        let status = reader.enumValue("status", ProgramStatus.self, required: false) ?? .draft
        if status == .archived { log.add("status", "archive a program with POST /v1/programs/{id}/archive") }
        try log.check()
        return ProgramInput(
            collegeID: collegeID, title: title!, specialtyCode: specialty!, level: level!, skills: skills!,
            capacity: capacity!, modes: modes!.compactMap(CooperationMode.init(rawValue:)), regionCode: region!,
            startsOn: startsOn, endsOn: endsOn, status: status, externalID: externalID)
    }

    public var references: [CodeReference] {
        [CodeReference(.region, regionCode, field: "region_code"),
         CodeReference(.specialty, specialtyCode, field: "specialty_code")]
            + skills.enumerated().map { CodeReference(.skill, $1.code, field: "skills[\($0)].code") }
    }

    public init(
        collegeID: UUID?, title: String, specialtyCode: String, level: EducationLevel, skills: [WeightedSkill],
        capacity: Int, modes: [CooperationMode], regionCode: String, startsOn: String?, endsOn: String?,
        status: ProgramStatus, externalID: String? = nil
    ) {
        self.externalID = externalID
        self.collegeID = collegeID
        self.title = title
        self.specialtyCode = specialtyCode
        self.level = level
        self.skills = skills
        self.capacity = capacity
        self.modes = modes
        self.regionCode = regionCode
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.status = status
    }
}

extension FieldReader {
    /// Two optional dates where the second may not come before the first.
    public func period(from start: String, to end: String) -> (String?, String?) {
        let startsOn = date(start, required: false)
        let endsOn = date(end, required: false)
        if let startsOn, let endsOn, endsOn < startsOn {
            log.add(field(end), "must not be before \(start) (\(startsOn))")
        }
        return (startsOn, endsOn)
    }
}
