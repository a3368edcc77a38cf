import Foundation

/// An enterprise's talent demand (岗位/人才需求) as a client writes it.
public struct DemandInput: RegistryInput, Equatable {
    /// Required from the bureau; an enterprise account writes its own demand and may omit it.
    public var enterpriseID: UUID?
    public var title: String
    public var occupationCode: String
    public var skills: [WeightedSkill]
    public var headcount: Int
    public var minLevel: EducationLevel
    public var mode: CooperationMode
    public var regionCode: String
    public var startsOn: String?
    public var endsOn: String?
    /// The owner's own key for the record (unique per owner): what bulk imports match on.
    public var externalID: String?
    public var status: DemandStatus

    public static let writable: Set<String> = [
        "enterprise_id", "external_id", "title", "occupation_code", "skills", "headcount", "min_level", "mode",
        "region_code", "starts_on", "ends_on", "status",
    ]
    public static let readOnly: Set<String> = ["id", "remaining_headcount", "archived", "version", "created_at", "updated_at"]
    public static let immutable: Set<String> = ["enterprise_id"]

    public static func read(_ json: JSONValue) throws(Problem) -> DemandInput {
        let log = ValidationLog()
        let reader = FieldReader(json, log: log)
        reader.rejectUnknown(allowed: writable, readOnly: readOnly)
        let enterpriseID = reader.uuid("enterprise_id", required: false)
        let externalID = reader.string("external_id", required: false, maxLength: 100)
        let title = reader.string("title")
        let occupation = reader.string("occupation_code", maxLength: 10)
        if let occupation, !TaxonomyCode.isOccupation(occupation) {
            log.add("occupation_code", "must be an occupation code D-DD-DD-DD of the 2022 classification")
        }
        let skills = reader.skills("skills", weighted: true)
        let headcount = reader.int("headcount", range: 1...10_000)
        let minLevel = reader.enumValue("min_level", EducationLevel.self)
        let mode = reader.enumValue("mode", CooperationMode.self)
        let region = reader.regionCode("region_code")
        let (startsOn, endsOn) = reader.period(from: "starts_on", to: "ends_on")
        let status = reader.enumValue("status", DemandStatus.self, required: false) ?? .open
        try log.check()
        return DemandInput(
            enterpriseID: enterpriseID, title: title!, occupationCode: occupation!, skills: skills!,
            headcount: headcount!, minLevel: minLevel!, mode: mode!, regionCode: region!, startsOn: startsOn,
            endsOn: endsOn, status: status, externalID: externalID)
    }

    public var references: [CodeReference] {
        [CodeReference(.region, regionCode, field: "region_code"),
         CodeReference(.occupation, occupationCode, field: "occupation_code")]
            + skills.enumerated().map { CodeReference(.skill, $1.code, field: "skills[\($0)].code") }
    }

    public init(
        enterpriseID: UUID?, title: String, occupationCode: String, skills: [WeightedSkill], headcount: Int,
        minLevel: EducationLevel, mode: CooperationMode, regionCode: String, startsOn: String?, endsOn: String?,
        status: DemandStatus, externalID: String? = nil
    ) {
        self.externalID = externalID
        self.enterpriseID = enterpriseID
        self.title = title
        self.occupationCode = occupationCode
        self.skills = skills
        self.headcount = headcount
        self.minLevel = minLevel
        self.mode = mode
        self.regionCode = regionCode
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.status = status
    }
}
